package dev.devloop.agent.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.devloop.agent.domain.ComponentHealth;
import dev.devloop.contracts.identity.testing.TestTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sibling behind the cell's TLS (its certificate from the cell's CA, unknown to the JDK's trust store): the probe
 * reads its health with the cell's context (#17); without it the certificate is not trusted and the sibling is DOWN.
 */
class HttpHealthProbeCellTlsTest {
    private static final byte[] HEALTHY =
            "{\"status\":\"UP\",\"checks\":[{\"name\":\"mongo\",\"status\":\"UP\"}]}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private HttpsServer server;
    private TestTls cell;

    @BeforeEach
    void start() throws Exception {
        cell = TestTls.create(dir, "tool-service");
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(cell.serverContext()));
        server.createContext("/q/health", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, HEALTHY.length);
            exchange.getResponseBody().write(HEALTHY);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "https://localhost:" + server.getAddress().getPort();
    }

    /** A bound far above the TLS handshake's time (3 s timed out in a cold JVM at load 35): no time is asserted. */
    private static HttpHealthProbe probe(Optional<SSLContext> cellTls) {
        return new HttpHealthProbe(Duration.ofSeconds(30), 0.5, 20, cellTls, new ObjectMapper(), Clock.systemUTC());
    }

    @Test
    void aSiblingBehindTheCellsTlsIsReadWithTheCellsContext() throws Exception {
        ComponentHealth health = probe(Optional.of(cell.clientContext())).probe("tool-service", base());
        assertThat(health.status()).isEqualTo(ComponentHealth.Status.UP);
        assertThat(health.detail()).isEqualTo("all health checks UP");
    }

    @Test
    void withoutTheCellsContextTheCertificateIsNotTrusted() {
        ComponentHealth health = probe(Optional.empty()).probe("tool-service", base());
        assertThat(health.status()).isEqualTo(ComponentHealth.Status.DOWN);
        assertThat(health.detail()).startsWith("unreachable: ");
    }
}
