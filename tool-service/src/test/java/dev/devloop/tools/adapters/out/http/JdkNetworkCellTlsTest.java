package dev.devloop.tools.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.devloop.contracts.identity.testing.TestTls;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.NetworkPort.PinnedUrl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Devloop service behind the cell's TLS (its certificate from the cell's CA, unknown to the JDK's trust store):
 * check_connectivity and analyze_metrics reach it with the cell's context; any other host keeps the JDK's.
 */
class JdkNetworkCellTlsTest {
    @TempDir
    static Path dir;

    /** keytool runs once per class: no test changes the identity. */
    private static TestTls cell;

    private HttpsServer server;

    @BeforeAll
    static void identity() throws Exception {
        cell = TestTls.create(dir, "knowledge-service");
    }

    @BeforeEach
    void start() throws Exception {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(cell.serverContext()));
        server.createContext("/q/health/live", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private PinnedUrl live() {
        return new PinnedUrl(
                URI.create("https://localhost:" + server.getAddress().getPort() + "/q/health/live"),
                InetAddress.getLoopbackAddress());
    }

    @Test
    void aCellServiceIsReachedWithTheCellsContext() throws Exception {
        JdkNetwork network = new JdkNetwork(2000, Optional.of(cell.clientContext()), Set.of("localhost"));
        assertThat(network.get(live(), 5000, 1024).status()).isEqualTo(200);
    }

    @Test
    void withoutTheCellsContextTheCertificateIsNotTrusted() throws Exception {
        JdkNetwork plain = new JdkNetwork(2000);
        JdkNetwork otherHosts = new JdkNetwork(2000, Optional.of(cell.clientContext()), Set.of("knowledge-service"));
        assertThatThrownBy(() -> plain.get(live(), 5000, 1024)).isInstanceOf(DownstreamException.class);
        assertThatThrownBy(() -> otherHosts.get(live(), 5000, 1024)).isInstanceOf(DownstreamException.class);
    }
}
