package dev.devloop.provider.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a WireMock server speaking OpenAI's chat-completions wire format and points the gateway's
 * OpenAI base URL at it. Tests stub per model name, so each test owns its stubs.
 */
public class OpenAiStub implements QuarkusTestResourceLifecycleManager {
    public static final String KEY = "sk-test-0123456789";
    /** Prefix of the fault-tolerance keys of the guarded OpenAI call. */
    public static final String FT =
            "quarkus.fault-tolerance.\"dev.devloop.provider.adapters.out.langchain.openai.OpenAiCalls/chat\".";

    private static volatile WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        return Map.of(
                "devloop.provider.openai.base-url",
                server.baseUrl() + "/v1",
                "devloop.provider.openai.api-key",
                KEY,
                "devloop.provider.openai.timeout",
                "2s",
                // failure tests must not open the shared circuit for the other tests; CircuitBreakerTest lowers it
                FT + "circuit-breaker.request-volume-threshold",
                "1000",
                // the tests key each stubbed answer on a unique model name (m-<uuid>) the default provider serves
                "devloop.provider.reject-unknown-models",
                "false");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** The running server. */
    public static WireMockServer server() {
        return server;
    }
}
