package dev.devloop.gateway.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.devloop.contracts.Headers;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.FlakyCell;
import dev.devloop.gateway.support.RealServices;
import dev.devloop.gateway.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Readiness tells the truth (#18): with every sibling of the default cell, MongoDB and Kafka unreachable (closed
 * ports), the gateway stays ready (its JWT key and Redis are fine; MongoDB's migrations are pending, not failed), reports {@code DEGRADED} with the reason, lists
 * the dead dependencies in the {@code dependencies} health group, answers 503 problem+json with {@code Retry-After}
 * on the routes that need them (never 500) and keeps serving routes that do not (another cell's provider-gateway).
 */
@QuarkusTest
@TestProfile(DependencyOutageTest.EverythingButRedisDown.class)
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(FlakyCell.class)
@QuarkusTestResource(AgentServiceStub.class)
class DependencyOutageTest {
    private static final String PROBLEM = "application/problem+json";

    /** The default cell, MongoDB and Kafka at ports nothing listens on. */
    public static class EverythingButRedisDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int dead = closedPort();
            String url = "http://127.0.0.1:" + dead;
            Map<String, String> config = new HashMap<>();
            config.put("devloop.gateway.cells.default-cell", "down");
            for (String module :
                    new String[] {"agent-service", "knowledge-service", "tool-service", "provider-gateway"}) {
                config.put("devloop.gateway.cells.urls.down." + module, url);
            }
            config.put("quarkus.mongodb.connection-string", "mongodb://127.0.0.1:" + dead);
            config.put("quarkus.mongodb.server-selection-timeout", "500ms");
            config.put("kafka.bootstrap.servers", "127.0.0.1:" + dead);
            config.put("devloop.gateway.hop.health-cache-ttl", "200ms");
            config.put("devloop.gateway.hop.readiness-timeout", "500ms");
            return config;
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort(); // closed again: connections are refused
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Polls readiness until the background probes have seen every dependency down (bounded: 30 tries). */
    private static JsonPath readyOnceProbed() throws InterruptedException {
        JsonPath ready = null;
        for (int i = 0; i < 30; i++) {
            ready = given().when()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            String reason = ready.getString("checks.find { it.name == 'api-gateway' }.data.reason");
            if (reason != null
                    && reason.contains("kafka")
                    && reason.contains("mongodb")
                    && reason.contains("knowledge-service")) {
                return ready;
            }
            Thread.sleep(200);
        }
        return ready;
    }

    @Test
    void readinessStaysUpWithOnlyTheGatewaysOwnChecksAndSaysDegradedWithTheReason() throws Exception {
        JsonPath ready = readyOnceProbed();

        assertThat(ready.getString("status")).isEqualTo("UP");
        // SmallRye Reactive Messaging's check stays, empty: every Kafka channel's readiness contribution is off
        assertThat(ready.getList("checks.name"))
                .containsExactlyInAnyOrder(
                        "api-gateway", "redis", "mongodb-migrations", "SmallRye Reactive Messaging - readiness check");
        // MongoDB unreachable at start: its migrations wait (retried), which is not a reason to leave the balancer
        assertThat(ready.getString("checks.find { it.name == 'mongodb-migrations' }.data.migrations"))
                .isEqualTo("pending");
        assertThat(ready.getList("checks.status")).containsOnly("UP");
        assertThat(ready.getString("checks.find { it.name == 'api-gateway' }.data.status"))
                .isEqualTo("DEGRADED");
        assertThat(ready.getString("checks.find { it.name == 'api-gateway' }.data.reason"))
                .contains(
                        "knowledge-service down",
                        "tool-service down",
                        "provider-gateway down",
                        "mongodb down",
                        "kafka down");

        given().when()
                .get("/q/health/group/dependencies")
                .then()
                .statusCode(503)
                .body("checks.name", containsInAnyOrder("dependencies"))
                .body("checks[0].data.'knowledge-service'", startsWith("DOWN"))
                .body("checks[0].data.mongodb", startsWith("DOWN"))
                .body("checks[0].data.kafka", startsWith("DOWN"));
    }

    @Test
    void aDeadSiblingsRoutesAre503WithRetryAfterWhileOtherCellsKeepWorking() {
        String viewer = Tokens.valid(Tokens.newTenant(), "viewer");
        given().header("Authorization", "Bearer " + viewer)
                .when()
                .get("/api/v1/tools")
                .then()
                .statusCode(503)
                .contentType(PROBLEM)
                .header("Retry-After", notNullValue())
                .body("type", equalTo("https://devloop.dev/problems/tool-service-unavailable"));
        given().header("Authorization", "Bearer " + viewer)
                .when()
                .get("/api/v1/entities/e-1")
                .then()
                .statusCode(503)
                .contentType(PROBLEM)
                .header("Retry-After", notNullValue());

        String observed = FlakyCell.OBSERVED_TENANTS.get(1);
        FlakyCell.observed()
                .stubFor(WireMock.get(urlPathEqualTo("/v1/providers"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(observed))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"providers\":[]}")));
        given().header("Authorization", "Bearer " + Tokens.valid(observed, "viewer"))
                .when()
                .get("/api/v1/providers")
                .then()
                .statusCode(200)
                .body("providers.size()", equalTo(0));
    }

    @Test
    void mongoDownIs503WithRetryAfterNot500() {
        String tenant = Tokens.newTenant();
        given().header("Authorization", "Bearer " + Tokens.valid(tenant, "viewer"))
                .when()
                .get("/api/v1/webhooks")
                .then()
                .statusCode(503)
                .contentType(PROBLEM)
                .header("Retry-After", notNullValue())
                .body("type", equalTo("https://devloop.dev/problems/webhook-store-unavailable"));
    }
}
