package dev.devloop.provider.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Two OpenAI-compatible servers at different ports, configured as the named instances
 * {@code ollama} (keyless, own low circuit threshold, bulkhead of 1) and {@code vllm} (with a key),
 * plus a Google server answering Vertex AI's REST API ({@code vertex}, static access token, own
 * bulkhead of 3). Retries are off globally so every upstream request a test sees is one gateway
 * attempt, except for {@code vllm}, which has its own retry policy (2 retries).
 */
public class InstancesStub implements QuarkusTestResourceLifecycleManager {
    public static final String VLLM_KEY = "vllm-secret-0123456789";
    public static final String VERTEX_TOKEN = "ya29.vertex-test-token-0123456789";
    public static final String VERTEX_PROJECT = "devloop-test";
    public static final String VERTEX_LOCATION = "europe-west4";
    public static final String VLLM_MODEL = "meta-llama/Llama-3.1-8B-Instruct";
    private static volatile WireMockServer ollama;
    private static volatile WireMockServer vllm;
    private static volatile WireMockServer google;

    @Override
    public Map<String, String> start() {
        ollama = started();
        vllm = started();
        google = started();
        Map<String, String> c = new HashMap<>();
        // the tests key each stubbed answer on a unique model name the default provider serves
        c.put("devloop.provider.reject-unknown-models", "false");
        c.put("devloop.provider.retry.max-retries", "0");
        String o = "devloop.provider.instances.ollama.";
        c.put(o + "type", "openai-compatible");
        c.put(o + "base-url", ollama.baseUrl() + "/v1");
        c.put(o + "models", "llama3.2,qwen2.5-coder");
        c.put(o + "timeout", "5s");
        c.put(o + "circuit-breaker.request-volume-threshold", "6");
        c.put(o + "circuit-breaker.failure-ratio", "0.5");
        c.put(o + "circuit-breaker.delay", "600s");
        c.put(o + "bulkhead.max-concurrent", "1");
        String v = "devloop.provider.instances.vllm.";
        c.put(v + "base-url", vllm.baseUrl() + "/v1");
        c.put(v + "api-key", VLLM_KEY);
        c.put(v + "default-model", VLLM_MODEL);
        c.put(v + "timeout", "5s");
        c.put(v + "circuit-breaker.request-volume-threshold", "1000");
        // vllm's own retry policy (the global one is off here)
        c.put(v + "retry.max-retries", "2");
        c.put(v + "retry.base-delay", "10ms");
        c.put("devloop.provider.aliases.homelab", "ollama/llama3.2," + "vllm/" + VLLM_MODEL);
        c.put("devloop.provider.vertex.project", VERTEX_PROJECT);
        c.put("devloop.provider.vertex.location", VERTEX_LOCATION);
        c.put("devloop.provider.vertex.access-token", VERTEX_TOKEN);
        c.put("devloop.provider.vertex.base-url", google.baseUrl() + "/v1");
        c.put("devloop.provider.vertex.timeout", "5s");
        c.put("devloop.provider.vertex.bulkhead.max-concurrent", "3");
        c.put(
                "quarkus.fault-tolerance.\"dev.devloop.provider.adapters.out.langchain.vertex.VertexCalls/chat\".circuit-breaker.request-volume-threshold",
                "1000");
        return c;
    }

    private static WireMockServer started() {
        WireMockServer s = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        s.start();
        return s;
    }

    @Override
    public void stop() {
        for (WireMockServer s : new WireMockServer[] {ollama, vllm, google}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    public static WireMockServer ollama() {
        return ollama;
    }

    public static WireMockServer vllm() {
        return vllm;
    }

    public static WireMockServer google() {
        return google;
    }
}
