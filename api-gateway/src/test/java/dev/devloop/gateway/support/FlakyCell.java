package dev.devloop.gateway.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
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
    /** A tenant of the {@code observed} cell for FastReadsTest alone: other tests look their hops up by tenant. */
    public static final String FAST_READS_TENANT = "observed-fast";
    /** How many {@code dead-<n>} cells there are (tenant {@code dead-<n>}), each at a closed port of its own. */
    public static final int DEAD_CELLS = 40;
    /** How many {@code slow-<n>} cells there are, each at a port that takes connections and never answers. */
    public static final int SLOW_CELLS = 2;

    /** The silent siblings: bound and listening (the kernel completes the handshake), never accepted nor read. */
    private static final List<ServerSocket> SILENT = new ArrayList<>();
    /** The dead siblings' ports: bound, never listening (the kernel refuses connections to them). */
    private static final List<Socket> DEAD = new ArrayList<>();

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
        config.put("devloop.gateway.cells.tenants." + FAST_READS_TENANT, "observed");
        // siblings that are down: a cell each, so one's circuit breaker never decides another's answer
        List<Integer> closed = closedPorts(DEAD_CELLS);
        for (int i = 0; i < DEAD_CELLS; i++) {
            for (String module : List.of("agent-service", "knowledge-service", "tool-service", "provider-gateway")) {
                config.put("devloop.gateway.cells.urls.dead-" + i + "." + module, "http://127.0.0.1:" + closed.get(i));
            }
            config.put("devloop.gateway.cells.tenants." + deadTenant(i), "dead-" + i);
        }
        for (int i = 0; i < SLOW_CELLS; i++) {
            for (String module : List.of("agent-service", "knowledge-service", "tool-service", "provider-gateway")) {
                config.put("devloop.gateway.cells.urls.slow-" + i + "." + module, "http://127.0.0.1:" + silentPort(i));
            }
            config.put("devloop.gateway.cells.tenants." + slowTenant(i), "slow-" + i);
        }
        return config;
    }

    /** The tenant of the {@code slow-<n>} cell, whose four siblings take the request and never answer. */
    public static String slowTenant(int n) {
        return "slow-" + n;
    }

    private static synchronized int silentPort(int n) {
        try {
            while (SILENT.size() <= n) {
                SILENT.add(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SILENT.get(n).getLocalPort();
    }

    @Override
    public void stop() {
        // kept for every Quarkus app of this JVM
    }

    public static WireMockServer server() {
        return server;
    }

    /** The tenant of the {@code dead-<n>} cell, whose four siblings are a port nothing listens on. */
    public static String deadTenant(int n) {
        return "dead-" + n;
    }

    /**
     * Ports held for the JVM's life by sockets bound but never listening: connections to them are refused, and no
     * later socket (a silent sibling, a sibling JVM, a client) can take one of them and answer or hang instead.
     */
    private static synchronized List<Integer> closedPorts(int count) {
        try {
            while (DEAD.size() < count) {
                Socket socket = new Socket();
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                DEAD.add(socket);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return DEAD.stream().limit(count).map(Socket::getLocalPort).toList();
    }

    /** The WireMock behind the {@code observed} cell. */
    public static WireMockServer observed() {
        return observed;
    }
}
