package dev.devloop.provider.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * One WireMock server standing in for OpenAI ({@code /v1}), Anthropic ({@code /anthropic/v1}) and
 * Gemini ({@code /gemini/v1beta}), each answered in its own real wire format by the tests; plus
 * aliases, prices, budgets and redaction settings exercised across providers.
 */
public class MultiProviderStub implements QuarkusTestResourceLifecycleManager {
    public static final String OPENAI_KEY = "sk-openai-test-0123456789";
    public static final String ANTHROPIC_KEY = "sk-ant-test-0123456789abcdefghij";
    public static final String GEMINI_KEY = "gemini-test-key-0123456789";
    public static final String BUDGET_TENANT = "t-budget-capped";
    public static final String PII_TENANT = "t-pii-always";
    private static volatile WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        Map<String, String> c = new HashMap<>();
        // the tests key each stubbed answer on a unique model name the default provider serves
        c.put("devloop.provider.reject-unknown-models", "false");
        c.put("devloop.provider.openai.base-url", server.baseUrl() + "/v1");
        c.put("devloop.provider.openai.api-key", OPENAI_KEY);
        c.put("devloop.provider.openai.timeout", "5s");
        c.put("devloop.provider.anthropic.base-url", server.baseUrl() + "/anthropic/v1");
        c.put("devloop.provider.anthropic.api-key", ANTHROPIC_KEY);
        // 2 s, as OpenAiStub: a timeout test waits it once per attempt (3 with the default retries)
        c.put("devloop.provider.anthropic.timeout", "2s");
        c.put("devloop.provider.anthropic.models", "claude-listed-model");
        c.put("devloop.provider.gemini.base-url", server.baseUrl() + "/gemini/v1beta");
        c.put("devloop.provider.gemini.api-key", GEMINI_KEY);
        c.put("devloop.provider.gemini.timeout", "5s");
        for (String calls : new String[] {"openai.OpenAiCalls", "anthropic.AnthropicCalls", "gemini.GeminiCalls"}) {
            c.put(
                    "quarkus.fault-tolerance.\"dev.devloop.provider.adapters.out.langchain." + calls
                            + "/chat\".circuit-breaker.request-volume-threshold",
                    "1000");
        }
        c.put("devloop.provider.retry.base-delay", "20ms");
        c.put("devloop.provider.retry.max-retry-after", "2s");
        c.put("devloop.provider.aliases.smart", "anthropic/claude-smart,openai/gpt-smart,gemini/gemini-smart");
        c.put("devloop.provider.aliases.strict", "anthropic/claude-strict,openai/gpt-strict");
        c.put("devloop.provider.aliases.fast", "gemini/gemini-fast,anthropic/claude-fast");
        c.put("devloop.provider.prices.\"anthropic/claude-priced\".input-per-mtok", "3");
        c.put("devloop.provider.prices.\"anthropic/claude-priced\".output-per-mtok", "15");
        c.put("devloop.provider.budgets.tenants.\"" + BUDGET_TENANT + "\"", "0.01");
        c.put("devloop.provider.pii.redact-tenants", PII_TENANT);
        return c;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    public static WireMockServer server() {
        return server;
    }
}
