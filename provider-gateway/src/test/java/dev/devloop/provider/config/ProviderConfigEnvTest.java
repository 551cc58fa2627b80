package dev.devloop.provider.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Named instances and per-provider bulkheads can be declared from environment variables alone
 * (what a Kubernetes Deployment's {@code env} or a Secret sets), and a key can come from the
 * environment for an instance declared in properties.
 */
class ProviderConfigEnvTest {

    private static ProviderConfig config(Map<String, String> properties, Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ProviderConfig.class)
                .withConverter(
                        Duration.class,
                        100,
                        new io.quarkus.runtime.configuration.DurationConverter()) // "120s" as Quarkus reads it
                .withSources(new PropertiesConfigSource(properties, "test-properties", 250))
                .withSources(new EnvConfigSource(env, 300))
                .build();
        return config.getConfigMapping(ProviderConfig.class);
    }

    @Test
    void instancesAndBulkheadsFromEnvironmentVariablesOnly() {
        ProviderConfig c = config(
                Map.of(),
                Map.of(
                        "DEVLOOP_PROVIDER_INSTANCES_OLLAMA_BASE_URL", "http://ollama:11434/v1",
                        "DEVLOOP_PROVIDER_INSTANCES_OLLAMA_MODELS", "llama3.2,qwen2.5-coder",
                        "DEVLOOP_PROVIDER_INSTANCES_OLLAMA_BULKHEAD_MAX_CONCURRENT", "2",
                        "DEVLOOP_PROVIDER_ANTHROPIC_BULKHEAD_MAX_CONCURRENT", "16",
                        "DEVLOOP_PROVIDER_INSTANCES_OLLAMA_RETRY_MAX_RETRIES", "5"));
        assertThat(c.instances()).containsOnlyKeys("ollama");
        ProviderConfig.ProviderInstance ollama = c.instances().get("ollama");
        assertThat(ollama.type()).isEqualTo("openai-compatible");
        assertThat(ollama.baseUrl()).contains("http://ollama:11434/v1");
        assertThat(ollama.models()).contains(List.of("llama3.2", "qwen2.5-coder"));
        assertThat(ollama.bulkhead().maxConcurrent()).contains(2);
        assertThat(ollama.circuitBreaker().requestVolumeThreshold()).isEqualTo(20);
        assertThat(c.anthropic().bulkhead().maxConcurrent()).contains(16);
        assertThat(c.openai().bulkhead().maxConcurrent()).isEmpty();

        var limits = ProviderWiring.bulkheads(c);
        assertThat(limits).containsOnlyKeys("anthropic", "ollama");
        assertThat(limits.get("ollama").maxConcurrent()).isEqualTo(2);
        assertThat(limits.get("anthropic").maxConcurrent()).isEqualTo(16);
        assertThat(limits.get("ollama").setting())
                .isEqualTo("devloop.provider.instances.ollama.bulkhead.max-concurrent");
        assertThat(limits.get("anthropic").setting()).isEqualTo("devloop.provider.anthropic.bulkhead.max-concurrent");

        var retries = ProviderWiring.retries(c);
        assertThat(retries).containsOnlyKeys("ollama");
        assertThat(retries.get("ollama").maxRetries()).isEqualTo(5);
        assertThat(retries.get("ollama").baseDelay()).isEqualTo(Duration.ofMillis(300)); // the global default
    }

    @Test
    void anInstanceKeyFromTheEnvironment() {
        ProviderConfig c = config(
                Map.of(
                        "devloop.provider.instances.vllm.base-url",
                        "http://vllm:8000/v1",
                        "devloop.provider.instances.vllm.default-model",
                        "meta-llama/Llama-3.1-8B-Instruct"),
                Map.of("DEVLOOP_PROVIDER_INSTANCES_VLLM_API_KEY", "sk-from-env"));
        assertThat(c.instances().get("vllm").apiKey()).contains("sk-from-env");
        assertThat(c.instances().get("vllm").defaultModel()).contains("meta-llama/Llama-3.1-8B-Instruct");
    }

    @Test
    void thinkingIsOffByDefaultAndSetFromTheEnvironment() {
        ProviderConfig off = config(Map.of(), Map.of());
        assertThat(off.anthropic().thinking().budgetTokens()).isZero();
        assertThat(off.gemini().thinking().includeThoughts()).isFalse();
        assertThat(off.gemini().thinking().budgetTokens()).isEmpty();
        assertThat(off.vertex().thinking().includeThoughts()).isFalse();

        ProviderConfig on = config(
                Map.of(),
                Map.of(
                        "DEVLOOP_PROVIDER_ANTHROPIC_THINKING_BUDGET_TOKENS", "4096",
                        "DEVLOOP_PROVIDER_GEMINI_THINKING_INCLUDE_THOUGHTS", "true",
                        "DEVLOOP_PROVIDER_GEMINI_THINKING_BUDGET_TOKENS", "-1",
                        "DEVLOOP_PROVIDER_VERTEX_THINKING_INCLUDE_THOUGHTS", "true"));
        assertThat(on.anthropic().thinking().budgetTokens()).isEqualTo(4096);
        assertThat(on.gemini().thinking().includeThoughts()).isTrue();
        assertThat(on.gemini().thinking().budgetTokens()).contains(-1);
        assertThat(on.vertex().thinking().includeThoughts()).isTrue();
        assertThat(on.vertex().thinking().budgetTokens()).isEmpty();
    }
}
