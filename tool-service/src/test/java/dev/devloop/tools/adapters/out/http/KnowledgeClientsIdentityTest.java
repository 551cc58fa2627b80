package dev.devloop.tools.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import dev.devloop.contracts.identity.CallerIdentity;
import dev.devloop.contracts.identity.IdentityRefusal;
import dev.devloop.contracts.identity.ServiceKeys;
import dev.devloop.contracts.identity.ServiceTokenVerifier;
import dev.devloop.contracts.identity.testing.TestCredentials;
import dev.devloop.contracts.knowledge.FactWrite;
import dev.devloop.tools.support.Fixtures;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The knowledge-service REST clients, as declared, sign every call for knowledge-service acting for the call's tenant:
 * a stand-in verifies each credential exactly as knowledge-service does (audience knowledge-service, the cell's keys).
 * The liveness client calls an open {@code /q/} path and sends none.
 */
@QuarkusTest
class KnowledgeClientsIdentityTest {
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private HttpServer knowledge;
    private URI base;

    @BeforeEach
    void start() throws IOException {
        ServiceTokenVerifier verifier = new ServiceTokenVerifier(
                ServiceKeys.open(TestCredentials.keyDir(), TestCredentials.TEST_CALLER, true),
                "devloop-cell",
                "knowledge-service");
        knowledge = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        knowledge.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String caller;
            if (authorization == null) {
                caller = "no credential";
            } else {
                try {
                    CallerIdentity verified = verifier.verify(authorization);
                    caller = verified.service() + " for " + verified.tenant();
                } catch (IdentityRefusal e) {
                    caller = "refused " + e.status() + ": " + e.getMessage();
                }
            }
            calls.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + caller);
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        knowledge.start();
        base = URI.create("http://127.0.0.1:" + knowledge.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        knowledge.stop(0);
    }

    private <T> T client(Class<T> api) {
        return QuarkusRestClientBuilder.newBuilder().baseUri(base).build(api);
    }

    @Test
    void everyKnowledgeCallIsSignedForKnowledgeServiceActingForItsTenant() {
        String tenant = Fixtures.tenant();
        client(KnowledgeServiceApi.class).retrieve(tenant, "build-server", "status");
        client(KnowledgeServiceApi.class)
                .store(
                        tenant,
                        "build-server",
                        "status",
                        new FactWrite(JsonNodeFactory.instance.textNode("healthy"), 60L));
        client(KnowledgeGraphApi.class).entities(tenant, "Service", 5);
        client(KnowledgeGraphApi.class).search(tenant, JsonNodeFactory.instance.objectNode());
        client(KnowledgeRoadmapApi.class).node(tenant, "m1");

        assertThat(calls)
                .containsExactly(
                        "GET /facts/build-server/status tool-service for " + tenant,
                        "PUT /facts/build-server/status tool-service for " + tenant,
                        "GET /entities tool-service for " + tenant,
                        "POST /search tool-service for " + tenant,
                        "GET /roadmap/nodes/m1 tool-service for " + tenant);
    }

    @Test
    void theLivenessProbeCarriesNoCredential() {
        try (Response live = client(KnowledgeHealthApi.class).live()) {
            assertThat(live.getStatus()).isEqualTo(200);
        }
        assertThat(calls).containsExactly("GET /q/health/live no credential");
    }
}
