package dev.devloop.scenarios;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.devloop.contracts.identity.CallerIdentity;
import dev.devloop.contracts.identity.ServiceKeys;
import dev.devloop.contracts.identity.ServiceTokenVerifier;
import dev.devloop.contracts.identity.testing.TenantHeaderCredentials;
import dev.devloop.contracts.identity.testing.TestCredentials;
import io.restassured.RestAssured;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the scenarios' direct calls send: a token the called service verifies, and nothing to anyone else. */
class ServiceCredentialsTest {
    private final Map<String, String> authorization = new ConcurrentHashMap<>();
    private HttpServer service;
    private HttpServer other;
    private ServiceCredentials credentials;

    @BeforeEach
    void start() throws Exception {
        service = recording("service");
        other = recording("other");
        credentials = new ServiceCredentials(Map.of(service.getAddress().getPort(), "knowledge-service"));
        RestAssured.filters(credentials);
    }

    @AfterEach
    void stop() {
        List<io.restassured.filter.Filter> rest = new java.util.ArrayList<>(RestAssured.filters());
        rest.remove(credentials);
        RestAssured.replaceFiltersWith(rest);
        service.stop(0);
        other.stop(0);
    }

    @Test
    void aDirectCallCarriesATokenTheServiceVerifiesForTheTenantItNames(@TempDir Path dir) throws Exception {
        given().header("X-Devloop-Tenant", "acme").get(url(service, "/facts/a/b"));

        // the called service's view: the cell's key set (with devloop-test's key) and its own key
        TestCredentials.bearer("knowledge-service", "warm-up");
        Files.copy(TestCredentials.keyDir().resolve(ServiceKeys.KEY_SET), dir.resolve(ServiceKeys.KEY_SET));
        ServiceTokenVerifier verifier = new ServiceTokenVerifier(
                ServiceKeys.open(dir, "knowledge-service", true), "devloop-cell", "knowledge-service");
        CallerIdentity caller = verifier.verify(authorization.get("service"));
        assertThat(caller.service()).isEqualTo(TestCredentials.TEST_CALLER);
        assertThat(caller.tenant()).isEqualTo("acme");
    }

    @Test
    void healthTheGatewayAndAnonymousCallsCarryNone() {
        given().get(url(service, "/q/health/ready"));
        assertThat(authorization.get("service")).isEqualTo("none");
        given().header(TenantHeaderCredentials.ANONYMOUS, "true")
                .header("X-Devloop-Tenant", "acme")
                .get(url(service, "/facts/a/b"));
        assertThat(authorization.get("service")).isEqualTo("none");
        given().header("X-Devloop-Tenant", "acme").get(url(other, "/api/v1/facts/a/b"));
        assertThat(authorization.get("other")).isEqualTo("none");
        given().header("Authorization", "Bearer user-jwt").get(url(service, "/facts/a/b"));
        assertThat(authorization.get("service")).isEqualTo("Bearer user-jwt");
    }

    private HttpServer recording(String name) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String value = exchange.getRequestHeaders().getFirst("Authorization");
            authorization.put(name, value == null ? "none" : value);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String url(HttpServer server, String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }
}
