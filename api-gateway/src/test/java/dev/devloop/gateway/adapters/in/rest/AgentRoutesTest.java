package dev.devloop.gateway.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.devloop.contracts.Headers;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own routing logic: what it sends to agent-service (path, tenant from the token, body
 * verbatim) and that it passes agent-service's status and body back unchanged. WireMock stands in for
 * agent-service's HTTP port only; the real hop is covered by the scenarios module.
 */
@QuarkusTest
@QuarkusTestResource(AgentServiceStub.class)
class AgentRoutesTest {
    private static final String PROBLEM = "application/problem+json";

    private static List<LoggedRequest> sentFor(String tenant) {
        return AgentServiceStub.server()
                .findAll(anyRequestedFor(anyUrl()).withHeader(Headers.TENANT, WireMock.equalTo(tenant)));
    }

    @Test
    void startRunForwardsTheBodyVerbatimWithTheTokensTenantAndPassesTheAnswerThrough() {
        String tenant = Tokens.newTenant();
        String answer = "{\"id\":\"run-42\",\"status\":\"QUEUED\",\"tenant\":\"" + tenant + "\"}";
        AgentServiceStub.server()
                .stubFor(post(urlPathEqualTo("/agents/system_health/runs"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(tenant))
                        .willReturn(aResponse()
                                .withStatus(202)
                                .withHeader("Content-Type", "application/json")
                                .withHeader("Location", "http://127.0.0.1:8081/runs/run-42")
                                .withBody(answer)));
        String body = "{ \"input\" : \"diagnose the slow service ✓\", \"extra\": [1, 2] }";

        String subject = "op-" + java.util.UUID.randomUUID();
        Response response = given().header("Authorization", "Bearer " + Tokens.validFor(tenant, subject, "operator"))
                .header(Headers.TENANT, "someone-else")
                .header(Headers.SUBJECT, "someone-else")
                .contentType("application/json")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/api/v1/agents/system_health/runs");

        response.then()
                .statusCode(202)
                .header("Location", "/api/v1/runs/run-42")
                .header(Headers.TRACE_ID, matchesPattern("[0-9a-f]{32}"));
        assertThat(response.asString()).isEqualTo(answer);
        String traceparent = sentFor(tenant).get(0).getHeader("traceparent");
        assertThat(traceparent)
                .as("the hop carries the trace the client was told about")
                .contains("-" + response.header(Headers.TRACE_ID) + "-");
        AgentServiceStub.server()
                .verify(
                        1,
                        postRequestedFor(urlEqualTo("/agents/system_health/runs?wait=false"))
                                .withHeader(Headers.TENANT, WireMock.equalTo(tenant))
                                .withHeader(Headers.SUBJECT, WireMock.equalTo(subject))
                                .withRequestBody(binaryEqualTo(body.getBytes(StandardCharsets.UTF_8))));
        AgentServiceStub.server()
                .verify(0, anyRequestedFor(anyUrl()).withHeader(Headers.TENANT, WireMock.equalTo("someone-else")));
        AgentServiceStub.server()
                .verify(0, anyRequestedFor(anyUrl()).withHeader(Headers.SUBJECT, WireMock.equalTo("someone-else")));
    }

    @Test
    void waitTrueIsPassedOnAndTheCompletedRunReturned() {
        String tenant = Tokens.newTenant();
        AgentServiceStub.server()
                .stubFor(post(urlEqualTo("/agents/planner/runs?wait=true"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(tenant))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"id\":\"run-7\",\"status\":\"COMPLETED\",\"result\":\"done\"}")));

        given().header("Authorization", "Bearer " + Tokens.valid(tenant, "admin"))
                .contentType("application/json")
                .body("{\"input\":\"plan it\"}")
                .when()
                .post("/api/v1/agents/planner/runs?wait=true")
                .then()
                .statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("result", equalTo("done"));
        assertThat(sentFor(tenant)).hasSize(1);
    }

    @Test
    void agentServiceErrorsPassThroughVerbatim() {
        String tenant = Tokens.newTenant();
        String problem = "{\"type\":\"https://devloop.dev/problems/unknown-agent-type\",\"title\":\"Not found\","
                + "\"status\":404,\"detail\":\"no agent type 'nope'\",\"field\":\"type\"}";
        AgentServiceStub.server()
                .stubFor(post(urlPathEqualTo("/agents/nope/runs"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(tenant))
                        .willReturn(aResponse()
                                .withStatus(404)
                                .withHeader("Content-Type", PROBLEM)
                                .withBody(problem)));

        Response response = given().header("Authorization", "Bearer " + Tokens.valid(tenant, "operator"))
                .contentType("application/json")
                .body("{\"input\":\"x\"}")
                .when()
                .post("/api/v1/agents/nope/runs");

        response.then().statusCode(404).contentType(PROBLEM);
        assertThat(response.asString()).isEqualTo(problem);
    }

    @Test
    void getRunAndAgentUseTheTokensTenant() {
        String tenant = Tokens.newTenant();
        AgentServiceStub.server()
                .stubFor(get(urlEqualTo("/runs/run-9"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(tenant))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"id\":\"run-9\",\"steps\":[{\"kind\":\"MODEL_CALL\"}]}")));
        AgentServiceStub.server()
                .stubFor(get(urlEqualTo("/agents/ag-1"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(tenant))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"id\":\"ag-1\",\"children\":[]}")));
        String token = Tokens.valid(tenant, "viewer");

        given().header("Authorization", "Bearer " + token)
                .header(Headers.TENANT, "other")
                .when()
                .get("/api/v1/runs/run-9")
                .then()
                .statusCode(200)
                .body("steps[0].kind", equalTo("MODEL_CALL"));
        given().header("Authorization", "Bearer " + token)
                .when()
                .get("/api/v1/agents/ag-1")
                .then()
                .statusCode(200)
                .body("id", equalTo("ag-1"));

        AgentServiceStub.server()
                .verify(
                        1,
                        getRequestedFor(urlEqualTo("/runs/run-9"))
                                .withHeader(Headers.TENANT, WireMock.equalTo(tenant)));
        AgentServiceStub.server()
                .verify(
                        1,
                        getRequestedFor(urlEqualTo("/agents/ag-1"))
                                .withHeader(Headers.TENANT, WireMock.equalTo(tenant)));
    }

    @Test
    void anotherTenantsRunIsNotFound() {
        String owner = Tokens.newTenant();
        String intruder = Tokens.newTenant();
        AgentServiceStub.server()
                .stubFor(get(urlEqualTo("/runs/run-own"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(owner))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"id\":\"run-own\"}")));
        AgentServiceStub.server()
                .stubFor(get(urlEqualTo("/runs/run-own"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(intruder))
                        .willReturn(aResponse()
                                .withStatus(404)
                                .withHeader("Content-Type", PROBLEM)
                                .withBody("{\"type\":\"https://devloop.dev/problems/run-not-found\",\"status\":404}")));

        given().header("Authorization", "Bearer " + Tokens.valid(intruder, "admin"))
                .header(Headers.TENANT, owner)
                .when()
                .get("/api/v1/runs/run-own")
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
    }

    @Test
    void invalidBodiesAre400NamingTheFieldAndNeverForwarded() {
        String tenant = Tokens.newTenant();
        String token = Tokens.valid(tenant, "operator");
        String[][] cases = {
            {"", "input"},
            {"[1,2]", "body"},
            {"\"just a string\"", "body"},
            {"{\"input\": ", "body"},
            {"{}", "input"},
            {"{\"input\": null}", "input"},
            {"{\"input\": 42}", "input"},
            {"{\"input\": \"   \"}", "input"},
            {"{\"input\": \"a\", \"input\": \"b\"}", "body"},
            {"{\"input\": \"" + "x".repeat(32 * 1024 + 1) + "\"}", "input"},
        };
        for (String[] c : cases) {
            given().header("Authorization", "Bearer " + token)
                    .contentType("application/json")
                    .body(c[0])
                    .when()
                    .post("/api/v1/agents/system_health/runs")
                    .then()
                    .statusCode(400)
                    .contentType(PROBLEM)
                    .body("field", equalTo(c[1]));
        }
        assertThat(sentFor(tenant)).isEmpty();
    }

    @Test
    void anOversizedBodyIs413() {
        String tenant = Tokens.newTenant();
        String body = "{\"input\":\"ok\",\"pad\":\"" + "p".repeat(70_000) + "\"}";
        given().header("Authorization", "Bearer " + Tokens.valid(tenant, "operator"))
                .contentType("application/json")
                .body(body)
                .when()
                .post("/api/v1/agents/system_health/runs")
                .then()
                .statusCode(413)
                .contentType(PROBLEM)
                .body("field", equalTo("body"));
        assertThat(sentFor(tenant)).isEmpty();
    }

    @Test
    void aMalformedAgentRefIs400() {
        String tenant = Tokens.newTenant();
        given().header("Authorization", "Bearer " + Tokens.valid(tenant, "operator"))
                .contentType("application/json")
                .body("{\"input\":\"x\"}")
                .when()
                .post("/api/v1/agents/bad%20ref/runs")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("ref"));
        assertThat(sentFor(tenant)).isEmpty();
    }
}
