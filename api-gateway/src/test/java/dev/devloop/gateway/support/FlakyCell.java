package dev.devloop.gateway.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cell named {@code flaky} whose four service URLs point at one WireMock server, used only to script
 * failures the real services will not produce on demand (slow answers, 503s, dropped connections) and
 * count how often the gateway tried; it serves the tenants {@link #TENANTS}.
 *
 * <p>A second cell, {@code observed} ({@link #OBSERVED_TENANTS}, {@link #observed()}), is a WireMock of its own
 * that only records what the gateway sends for routes checked hop by hop; having its own base URL, it has its own
 * circuit breakers, so the failures scripted in {@code flaky} never open a circuit in front of it.
 */
public class FlakyCell implements QuarkusTestResourceLifecycleManager {
    public static final List<String> TENANTS =
            List.of("flaky-1", "flaky-2", "flaky-3", "flaky-4", "flaky-5", "flaky-6");
    public static final List<String> OBSERVED_TENANTS = List.of("observed-1", "observed-2");
    private static volatile WireMockServer server;
    private static volatile WireMockServer observed;

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            server = new WireMockServer(WireMockConfiguration.options()
                    .bindAddress("127.0.0.1")
                    .dynamicPort()
                    .containerThreads(40));
            server.start();
            observed = new WireMockServer(
                    WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
            observed.start();
        }
        Map<String, String> config = new HashMap<>();
        for (String module : List.of("agent-service", "knowledge-service", "tool-service", "provider-gateway")) {
            config.put("devloop.gateway.cells.urls.flaky." + module, server.baseUrl());
            config.put("devloop.gateway.cells.urls.observed." + module, observed.baseUrl());
        }
        for (String tenant : TENANTS) {
            config.put("devloop.gateway.cells.tenants." + tenant, "flaky");
        }
        for (String tenant : OBSERVED_TENANTS) {
            config.put("devloop.gateway.cells.tenants." + tenant, "observed");
        }
        return config;
    }

    @Override
    public void stop() {
        // kept for every Quarkus app of this JVM
    }

    public static WireMockServer server() {
        return server;
    }

    /** The WireMock behind the {@code observed} cell. */
    public static WireMockServer observed() {
        return observed;
    }
}
