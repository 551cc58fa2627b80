package dev.devloop.agent.adapters.out.http;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.devloop.agent.support.TcpProxy;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * tool-service's and provider-gateway's URLs point at one WireMock server started before the application; the test
 * classes sharing this profile share one application start. provider-gateway is reached through a {@link TcpProxy}
 * (transparent until a test cuts it), so a test can take it down for real and bring it back.
 *
 * <p>The same application also serves SystemHealthResourceTest: this service on a known port ({@link #SELF}) as one
 * system-health component and a closed port ({@link #DEAD}) as another. Those settings touch nothing the sibling tests
 * use, and sharing the start saves one Quarkus augmentation and boot per module run (22–29 s on the loaded CI box).
 */
public class WireMockSiblings implements QuarkusTestProfile {
    /** This service's HTTP port in this application (the system-health component {@code agent-service}). */
    public static final int SELF = freePort();
    /** A port nothing listens on (the system-health component {@code billing-legacy}). */
    public static final int DEAD = freePort();

    private static WireMockServer server;
    private static TcpProxy providerGateway;

    @Override
    public Map<String, String> getConfigOverrides() {
        String url = "http://127.0.0.1:" + server().port();
        return Map.of(
                "quarkus.rest-client.tool-service.url",
                url,
                "quarkus.rest-client.provider-gateway.url",
                "http://127.0.0.1:" + providerGateway().port(),
                "quarkus.http.test-port",
                Integer.toString(SELF),
                "devloop.agent.system-health.components",
                "agent-service=http://127.0.0.1:" + SELF,
                "devloop.agent.system-health.extra-components",
                "billing-legacy=http://127.0.0.1:" + DEAD);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The way to provider-gateway (the WireMock server): cut it and provider-gateway is down. */
    static synchronized TcpProxy providerGateway() {
        if (providerGateway == null) {
            try {
                providerGateway = new TcpProxy("127.0.0.1", server().port());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot start the provider-gateway proxy", e);
            }
        }
        return providerGateway;
    }

    static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
            server.start();
        }
        return server;
    }
}
