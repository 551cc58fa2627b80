package dev.devloop.tools.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.NetworkPort.HttpAnswer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDK network adapter against real loopback servers: redirects stay unfollowed, bodies bounded. */
class JdkNetworkTest {
    private final JdkNetwork network = new JdkNetwork(2000);
    private final AtomicInteger redirectTargetHits = new AtomicInteger();
    private HttpServer server;
    private HttpServer redirectTarget;

    @BeforeEach
    void start() throws Exception {
        redirectTarget = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        redirectTarget.createContext("/", exchange -> {
            redirectTargetHits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        redirectTarget.start();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders()
                    .add(
                            "Location",
                            "http://127.0.0.1:" + redirectTarget.getAddress().getPort() + "/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/big", exchange -> {
            byte[] body = "m".repeat(10_000).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        redirectTarget.stop(0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void redirectsAreReportedAndNeverFollowed() {
        HttpAnswer answer = network.get(uri("/redirect"), 2000, 1000);
        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.location()).endsWith("/latest/meta-data/");
        assertThat(redirectTargetHits).hasValue(0);
    }

    @Test
    void bodiesAreReadOnlyUpToTheBound() {
        HttpAnswer answer = network.get(uri("/big"), 2000, 100);
        assertThat(answer.body()).hasSize(100);
        assertThat(answer.bodyTruncated()).isTrue();
    }

    @Test
    void tcpProbesSucceedOnAListenerAndFailOnAClosedPort() throws Exception {
        network.connect(InetAddress.getLoopbackAddress(), server.getAddress().getPort(), 1000);
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        int port = closed;
        assertThatThrownBy(() -> network.connect(InetAddress.getLoopbackAddress(), port, 1000))
                .isInstanceOf(DownstreamException.class);
        assertThatThrownBy(() -> network.resolve("no-such-host.invalid")).isInstanceOf(DownstreamException.class);
    }
}
