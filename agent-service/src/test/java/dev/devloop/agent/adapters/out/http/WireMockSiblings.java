package dev.devloop.agent.adapters.out.http;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * tool-service's and provider-gateway's URLs point at one WireMock server started before the application; the test
 * classes sharing this profile share one application start.
 */
public class WireMockSiblings implements QuarkusTestProfile {
    private static WireMockServer server;

    @Override
    public Map<String, String> getConfigOverrides() {
        String url = "http://127.0.0.1:" + server().port();
        return Map.of("quarkus.rest-client.tool-service.url", url, "quarkus.rest-client.provider-gateway.url", url);
    }

    static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
            server.start();
        }
        return server;
    }
}
