package dev.devloop.gateway.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.devloop.contracts.Headers;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.FlakyCell;
import dev.devloop.gateway.support.RealServices;
import dev.devloop.gateway.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Agent-type management and run cancel on the real agent-service (the {@code stack} cell: tenant isolation,
 * roles, Location rewriting, idempotency, agent-service's answers verbatim), and what the gateway sends for
 * them and for {@code GET /api/v1/usage} (the {@code flaky} cell's WireMock observes the hop: query, tenant,
 * no retry of a POST), with the usage parameters validated before anything leaves the gateway.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(FlakyCell.class)
@QuarkusTestResource(AgentServiceStub.class)
class AgentTypeAndUsageRoutesTest {
    private static final String PROBLEM = "application/problem+json";

    private static RequestSpecification as(String tenant, String... roles) {
        return given().header("Authorization", "Bearer " + Tokens.valid(tenant, roles));
    }

    private static String definition(String type, String description) {
        return """
        {"type":"%s","level":"child","description":"%s",
         "instructions":"You answer questions about the service catalogue.","allowedChildTypes":[],
         "limits":{"maxTurns":4,"maxTokens":20000,"maxSeconds":120,"maxChildren":0}}""".formatted(type, description);
    }

    @Test
    void agentTypesAreRegisteredReadReplacedAndRemovedPerTenant() {
        String owner = RealServices.STACK_TENANTS.get(0);
        String other = RealServices.STACK_TENANTS.get(1);
        String type =
                "catalogue_" + UUID.randomUUID().toString().substring(0, 8).replace('-', '_');
        String key = "reg-" + UUID.randomUUID();

        as(owner, "viewer")
                .contentType(ContentType.JSON)
                .body(definition(type, "v1"))
                .when()
                .post("/api/v1/agent-types")
                .then()
                .statusCode(403)
                .contentType(PROBLEM);
        String operator = Tokens.validFor(owner, "op-" + UUID.randomUUID(), "operator"); // keys are scoped per subject
        Response created = given().auth()
                .oauth2(operator)
                .header(Headers.IDEMPOTENCY_KEY, key)
                .contentType(ContentType.JSON)
                .body(definition(type, "v1"))
                .when()
                .post("/api/v1/agent-types");
        created.then()
                .statusCode(201)
                .header("Location", "/api/v1/agent-types/" + type)
                .body("type", equalTo(type));
        given().auth()
                .oauth2(operator)
                .header(Headers.IDEMPOTENCY_KEY, key)
                .contentType(ContentType.JSON)
                .body(definition(type, "v1"))
                .when()
                .post("/api/v1/agent-types")
                .then()
                .statusCode(201)
                .header("Idempotent-Replayed", "true")
                .body("type", equalTo(type));

        as(owner, "viewer")
                .when()
                .get("/api/v1/agent-types/" + type)
                .then()
                .statusCode(200)
                .body("type", equalTo(type))
                .body("description", equalTo("v1"));
        as(owner, "viewer")
                .queryParam("fields", "type")
                .when()
                .get("/api/v1/agent-types/" + type)
                .then()
                .statusCode(200)
                .body("type", equalTo(type))
                .body("$", not(org.hamcrest.Matchers.hasKey("description")));
        as(owner, "viewer")
                .queryParam("limit", 100)
                .when()
                .get("/api/v1/agent-types")
                .then()
                .statusCode(200)
                .body("items.type", hasItem(type));
        as(other, "admin")
                .header(Headers.TENANT, owner)
                .when()
                .get("/api/v1/agent-types/" + type)
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
        as(other, "admin").when().delete("/api/v1/agent-types/" + type).then().statusCode(404);

        as(owner, "operator")
                .contentType(ContentType.JSON)
                .body(definition(type, "v2"))
                .when()
                .put("/api/v1/agent-types/" + type)
                .then()
                .statusCode(200)
                .body("description", equalTo("v2"));
        as(owner, "operator")
                .contentType(ContentType.JSON)
                .body("{\"type\":\"" + type + "\",\"level\":\"child\"}")
                .when()
                .put("/api/v1/agent-types/" + type)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("instructions"));
        as(owner, "viewer").when().delete("/api/v1/agent-types/" + type).then().statusCode(403);
        as(owner, "admin").when().delete("/api/v1/agent-types/" + type).then().statusCode(204);
        as(owner, "viewer").when().get("/api/v1/agent-types/" + type).then().statusCode(404);
        as(owner, "viewer")
                .when()
                .get("/api/v1/agent-types/bad%20name")
                .then()
                .statusCode(400)
                .body("field", equalTo("type"));
    }

    @Test
    void aRunIsCancelledOnlyByItsTenantAndAgentServicesAnswerPassesThrough() {
        String owner = RealServices.STACK_TENANTS.get(0);
        Response run = as(owner, "operator")
                .contentType(ContentType.JSON)
                .body("{\"input\":\"say hello\"}")
                .when()
                .post("/api/v1/agents/assistant/runs?wait=true");
        run.then().statusCode(200).body("status", equalTo("COMPLETED"));
        String id = run.path("id");

        as(owner, "viewer").when().post("/api/v1/runs/" + id + "/cancel").then().statusCode(403);
        as(RealServices.STACK_TENANTS.get(1), "admin")
                .when()
                .post("/api/v1/runs/" + id + "/cancel")
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
        as(owner, "operator")
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"no longer needed\"}")
                .when()
                .post("/api/v1/runs/" + id + "/cancel")
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("type", containsString("run-finished"));
        as(owner, "operator")
                .when()
                .post("/api/v1/runs/bad%20id/cancel")
                .then()
                .statusCode(400)
                .body("field", equalTo("id"));
    }

    @Test
    void aCancelIsSentOnceWithTheTokensTenantAndNeverRetried() {
        String tenant = FlakyCell.TENANTS.get(4);
        String runId = "run-" + UUID.randomUUID();
        FlakyCell.server()
                .stubFor(post(urlPathEqualTo("/runs/" + runId + "/cancel"))
                        .willReturn(aResponse()
                                .withStatus(503)
                                .withHeader("Content-Type", PROBLEM)
                                .withBody("{\"status\":503,\"title\":\"busy\"}")));
        as(tenant, "operator")
                .header(Headers.TENANT, "someone-else")
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"stop\"}")
                .when()
                .post("/api/v1/runs/" + runId + "/cancel")
                .then()
                .statusCode(503)
                .body("title", equalTo("busy"));
        List<LoggedRequest> sent =
                FlakyCell.server().findAll(anyRequestedFor(urlPathEqualTo("/runs/" + runId + "/cancel")));
        assertThat(sent).as("a POST is not retried").hasSize(1);
        assertThat(sent.get(0).getHeader(Headers.TENANT)).isEqualTo(tenant);
        assertThat(sent.get(0).getBodyAsString()).isEqualTo("{\"reason\":\"stop\"}");
    }

    @Test
    void usageIsForwardedWithTheTenantFromTheTokenAndCheckedParameters() {
        String tenant = FlakyCell.TENANTS.get(5);
        String answer = """
        {"tenant":"%s","from":"2026-11-01","to":"2026-11-30","groupBy":"provider",
         "totals":{"calls":3,"inputTokens":180,"outputTokens":60,"costUsd":0.0012},
         "groups":[{"key":"openai","calls":3,"inputTokens":180,"outputTokens":60,"costUsd":0.0012}],"truncated":false}""".formatted(tenant);
        FlakyCell.server()
                .stubFor(get(urlPathEqualTo("/v1/usage"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(tenant))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody(answer)));

        as(tenant, "viewer")
                .header(Headers.TENANT, "intruder")
                .queryParam("from", "2026-11-01")
                .queryParam("to", "2026-11-30")
                .queryParam("groupBy", "provider")
                .queryParam("ignored", "x")
                .when()
                .get("/api/v1/usage")
                .then()
                .statusCode(200)
                .body("tenant", equalTo(tenant))
                .body("totals.calls", equalTo(3))
                .body("groups[0].key", equalTo("openai"));
        List<LoggedRequest> sent = FlakyCell.server()
                .findAll(getRequestedFor(urlPathEqualTo("/v1/usage"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(tenant)));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getUrl()).isEqualTo("/v1/usage?from=2026-11-01&to=2026-11-30&groupBy=provider");

        as(tenant, "viewer")
                .queryParam("from", "2026-11-01T10:00:00Z")
                .when()
                .get("/api/v1/usage")
                .then()
                .statusCode(200);
        assertThat(FlakyCell.server()
                        .findAll(getRequestedFor(urlPathEqualTo("/v1/usage"))
                                .withHeader(Headers.TENANT, WireMock.equalTo(tenant)))
                        .get(1)
                        .getUrl())
                .isEqualTo("/v1/usage?from=2026-11-01T10%3A00%3A00Z");

        int before = FlakyCell.server()
                .findAll(getRequestedFor(urlPathMatching("/v1/usage.*")))
                .size();
        as(tenant, "viewer")
                .queryParam("groupBy", "colour")
                .when()
                .get("/api/v1/usage")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("groupBy"));
        as(tenant, "viewer")
                .queryParam("from", "yesterday")
                .when()
                .get("/api/v1/usage")
                .then()
                .statusCode(400)
                .body("field", equalTo("from"));
        as(tenant, "viewer")
                .queryParam("to", "2026-13-01")
                .when()
                .get("/api/v1/usage")
                .then()
                .statusCode(400)
                .body("field", equalTo("to"));
        as(tenant, "viewer")
                .queryParam("from", "2026-11-30")
                .queryParam("to", "2026-11-01")
                .when()
                .get("/api/v1/usage")
                .then()
                .statusCode(400)
                .body("field", equalTo("to"));
        as(tenant, "viewer")
                .queryParam("from", "2024-01-01")
                .queryParam("to", "2026-01-01")
                .when()
                .get("/api/v1/usage")
                .then()
                .statusCode(400)
                .body("field", equalTo("to"));
        given().when().get("/api/v1/usage").then().statusCode(401);
        assertThat(FlakyCell.server().findAll(getRequestedFor(urlPathMatching("/v1/usage.*"))))
                .as("nothing invalid left the gateway")
                .hasSize(before);
    }
}
