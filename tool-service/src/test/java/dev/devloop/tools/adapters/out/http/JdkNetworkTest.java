package dev.devloop.tools.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.NetworkPort.HttpAnswer;
import dev.devloop.tools.ports.out.NetworkPort.PinnedUrl;
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
        server.createContext("/host", exchange -> {
            byte[] body = (exchange.getRequestHeaders().getFirst("Host") + " " + exchange.getRequestURI())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            for (int i = 0; i < 10; i++) {
                exchange.getResponseBody().write("c".repeat(1000).getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        redirectTarget.stop(0);
    }

    private PinnedUrl uri(String path) {
        return new PinnedUrl(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path),
                InetAddress.getLoopbackAddress());
    }

    @Test
    void aPinnedUrlConnectsToItsAddressWithoutLookingTheNameUp() {
        // '.invalid' never resolves (RFC 6761): any name lookup would fail the request
        PinnedUrl pinned = new PinnedUrl(
                URI.create(
                        "http://devloop-pinned.invalid:" + server.getAddress().getPort() + "/host?x=1"),
                InetAddress.getLoopbackAddress());
        HttpAnswer answer = network.get(pinned, 2000, 1000);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body())
                .isEqualTo("devloop-pinned.invalid:" + server.getAddress().getPort() + " /host?x=1");
    }

    @Test
    void chunkedBodiesAreDecodedAndBounded() {
        HttpAnswer whole = network.get(uri("/chunked"), 2000, 100_000);
        HttpAnswer cut = network.get(uri("/chunked"), 2000, 50);

        assertThat(whole.body()).isEqualTo("c".repeat(10_000));
        assertThat(whole.bodyTruncated()).isFalse();
        assertThat(cut.body()).isEqualTo("c".repeat(50));
        assertThat(cut.bodyTruncated()).isTrue();
    }

    @Test
    void aBodyWithinTheBoundIsWhole() {
        HttpAnswer answer = network.get(uri("/big"), 2000, 10_000);
        assertThat(answer.body()).hasSize(10_000);
        assertThat(answer.bodyTruncated()).isFalse();
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
