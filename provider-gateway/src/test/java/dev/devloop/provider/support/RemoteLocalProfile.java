package dev.devloop.provider.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * Builds the gateway as the native profile does, with {@code devloop.build.in-process-models=false} (no llama.cpp,
 * no ONNX), and points {@code local} chat and embeddings at a WireMock server speaking OpenAI's wire format.
 */
public class RemoteLocalProfile implements QuarkusTestProfile {
    public static final String MODEL = "tiny-remote";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("devloop.build.in-process-models", "false", "devloop.provider.local.model", MODEL);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Server.class));
    }

    /** The OpenAI-compatible servers standing in for llama-server: chat under /chat/v1, embeddings under /emb/v1. */
    public static class Server implements QuarkusTestResourceLifecycleManager {
        private static volatile WireMockServer server;

        @Override
        public Map<String, String> start() {
            server = new WireMockServer(
                    WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
            server.start();
            return Map.of(
                    "devloop.provider.local.base-url", server.baseUrl() + "/chat/v1",
                    "devloop.provider.local.embeddings-base-url", server.baseUrl() + "/emb/v1");
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
}
