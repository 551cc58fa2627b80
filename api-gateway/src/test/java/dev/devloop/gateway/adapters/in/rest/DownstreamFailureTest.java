package dev.devloop.gateway.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.devloop.contracts.Headers;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.ShortTimeoutsProfile;
import dev.devloop.gateway.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * agent-service slow, broken or not ready: the gateway answers 504/503 problem+json and never hangs, and a
 * not-ready agent-service degrades the gateway (health says so) without taking it out of readiness.
 */
@QuarkusTest
@TestProfile(ShortTimeoutsProfile.class)
@QuarkusTestResource(AgentServiceStub.class)
class DownstreamFailureTest {
    private static final String PROBLEM = "application/problem+json";

    @Test
    void aSlowSynchronousRunIs504() {
        String tenant = Tokens.newTenant();
        AgentServiceStub.server()
                .stubFor(post(urlPathEqualTo("/agents/slow/runs"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(tenant))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withFixedDelay(2_500)
                                .withBody("{}")));

        given().header("Authorization", "Bearer " + Tokens.valid(tenant, "operator"))
                .contentType("application/json")
                .body("{\"input\":\"take your time\"}")
                .when()
                .post("/api/v1/agents/slow/runs?wait=true")
                .then()
                .statusCode(504)
                .contentType(PROBLEM)
                .body("type", equalTo("https://devloop.dev/problems/dependency-timeout"));
    }

    @Test
    void aBrokenConnectionIs503() {
        String tenant = Tokens.newTenant();
        AgentServiceStub.server()
                .stubFor(get(urlEqualTo("/runs/broken"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(tenant))
                        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        given().header("Authorization", "Bearer " + Tokens.valid(tenant, "viewer"))
                .when()
                .get("/api/v1/runs/broken")
                .then()
                .statusCode(503)
                .contentType(PROBLEM)
                .header("Retry-After", "5")
                .body("type", equalTo("https://devloop.dev/problems/agent-service-unavailable"));
    }

    @Test
    void agentServiceNotReadyDegradesTheGatewayButNeverItsReadiness() throws InterruptedException {
        AgentServiceStub.server()
                .stubFor(get(urlEqualTo("/q/health/ready"))
                        .willReturn(aResponse().withStatus(503).withBody("{\"status\":\"DOWN\"}")));
        String seen = awaitAgentService("DOWN");
        assertThat(seen).startsWith("DOWN");
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.name", not(hasItem("agent-service")))
                .body("checks.find { it.name == 'api-gateway' }.data.status", equalTo("DEGRADED"))
                .body("checks.find { it.name == 'api-gateway' }.data.reason", containsString("agent-service down"))
                .body("checks.find { it.name == 'redis' }.status", equalTo("UP"));

        AgentServiceStub.server()
                .stubFor(get(urlEqualTo("/q/health/ready"))
                        .willReturn(aResponse().withStatus(200).withBody("{\"status\":\"UP\"}")));
        assertThat(awaitAgentService("UP")).startsWith("UP");
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'api-gateway' }.data.reason", not(containsString("agent-service")));
    }

    /** The dependencies group's agent-service entry once it starts with {@code state} (bounded: 40 polls). */
    private static String awaitAgentService(String state) throws InterruptedException {
        String entry = null;
        for (int i = 0; i < 40; i++) {
            entry = given().when()
                    .get("/q/health/group/dependencies")
                    .then()
                    .extract()
                    .jsonPath()
                    .getString("checks[0].data.'agent-service'");
            if (entry != null && entry.startsWith(state)) {
                return entry;
            }
            Thread.sleep(250);
        }
        return entry;
    }
}
