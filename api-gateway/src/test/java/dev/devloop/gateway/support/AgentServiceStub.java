package dev.devloop.gateway.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A WireMock stand-in for agent-service's HTTP port, used only to observe what the gateway sends
 * (path, tenant header, body) and to script its answers; tests stub per tenant so each owns its stubs.
 */
public class AgentServiceStub implements QuarkusTestResourceLifecycleManager {
    private static volatile WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        return Map.of("quarkus.rest-client.agent-service.url", server.baseUrl());
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
