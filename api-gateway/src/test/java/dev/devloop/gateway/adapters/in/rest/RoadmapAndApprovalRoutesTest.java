package dev.devloop.gateway.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

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
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the gateway sends for the roadmap and approval routes (docs/roadmap.md): the {@code observed} cell's WireMock
 * observes the hop (path, query, body, content type, tenant and subject from the token, a client's own copies
 * dropped), roles per route, idempotency keys on the POSTs, and query values refused before anything leaves.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(FlakyCell.class)
@QuarkusTestResource(AgentServiceStub.class)
class RoadmapAndApprovalRoutesTest {
    private static final String PROBLEM = "application/problem+json";
    private static final String ROADMAP_TENANT = FlakyCell.OBSERVED_TENANTS.get(0);
    private static final String APPROVAL_TENANT = FlakyCell.OBSERVED_TENANTS.get(1);

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static void answer(String method, String pathRegex, String tenant, int status, String body) {
        FlakyCell.observed()
                .stubFor(WireMock.request(method, urlPathMatching(pathRegex))
                        .withHeader(Headers.TENANT, WireMock.equalTo(tenant))
                        .willReturn(aResponse()
                                .withStatus(status)
                                .withHeader("Content-Type", "application/json")
                                .withBody(body)));
    }

    private static List<LoggedRequest> sent(String path, String tenant) {
        return FlakyCell.observed()
                .findAll(anyRequestedFor(urlPathEqualTo(path)).withHeader(Headers.TENANT, WireMock.equalTo(tenant)));
    }

    @Test
    void anImportIsForwardedAsSentWithTheTokensTenantAndSubjectAndViewersCannotImport() {
        String subject = "op-" + UUID.randomUUID();
        String operator = Tokens.validFor(ROADMAP_TENANT, subject, "operator");
        answer(
                "POST",
                "/roadmap/import",
                ROADMAP_TENANT,
                200,
                "{\"created\":2,\"updated\":0,\"unchanged\":0,\"dependencies\":1}");
        String yaml = "milestones:\n  - id: m-" + UUID.randomUUID() + "\n    name: Public beta\n";
        int before = sent("/roadmap/import", ROADMAP_TENANT).size();

        as(Tokens.valid(ROADMAP_TENANT, "viewer"))
                .contentType("application/yaml")
                .body(yaml.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/api/v1/roadmap/import")
                .then()
                .statusCode(403)
                .contentType(PROBLEM);
        assertThat(sent("/roadmap/import", ROADMAP_TENANT)).hasSize(before);

        as(operator)
                .header(Headers.TENANT, "intruder")
                .header(Headers.SUBJECT, "mallory")
                .contentType("application/yaml")
                .body(yaml.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/api/v1/roadmap/import")
                .then()
                .statusCode(200)
                .body("created", equalTo(2));
        as(operator)
                .contentType("text/yaml; charset=utf-8")
                .body(yaml.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/api/v1/roadmap/import")
                .then()
                .statusCode(200);
        as(operator)
                .contentType(ContentType.JSON)
                .body("{\"milestones\":[]}")
                .when()
                .post("/api/v1/roadmap/import")
                .then()
                .statusCode(200);
        as(operator)
                .contentType(ContentType.XML)
                .body("<milestones/>")
                .when()
                .post("/api/v1/roadmap/import")
                .then()
                .statusCode(415);

        List<LoggedRequest> hops = sent("/roadmap/import", ROADMAP_TENANT);
        assertThat(hops).hasSize(before + 3);
        LoggedRequest yamlHop = hops.get(before);
        assertThat(yamlHop.getBodyAsString()).isEqualTo(yaml);
        assertThat(yamlHop.getHeader("Content-Type")).startsWith("application/yaml");
        assertThat(yamlHop.getHeader(Headers.SUBJECT)).isEqualTo(subject);
        assertThat(yamlHop.getHeaders().getHeader(Headers.SUBJECT).values())
                .as("the client's copy is dropped")
                .containsExactly(subject);
        assertThat(hops.get(before + 1).getHeader("Content-Type")).startsWith("text/yaml");
        assertThat(hops.get(before + 2).getHeader("Content-Type")).startsWith("application/json");
        assertThat(hops.get(before + 2).getBodyAsString()).isEqualTo("{\"milestones\":[]}");
    }

    @Test
    void nodesAreListedWithCheckedFiltersAndTheGatewaysCursor() {
        String viewer = Tokens.valid(ROADMAP_TENANT, "viewer");
        FlakyCell.observed()
                .stubFor(WireMock.get(urlPathEqualTo("/roadmap/nodes"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(ROADMAP_TENANT))
                        .withQueryParam("level", WireMock.equalTo("milestone"))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withHeader("X-Devloop-Next-After", "m2")
                                .withBody("[{\"id\":\"m1\",\"level\":\"milestone\",\"name\":\"Beta\"},"
                                        + "{\"id\":\"m2\",\"level\":\"milestone\",\"name\":\"GA\"}]")));

        as(viewer)
                .queryParam("level", "milestone")
                .queryParam("status", "planned")
                .queryParam("limit", 2)
                .queryParam("fields", "id,name")
                .when()
                .get("/api/v1/roadmap/nodes")
                .then()
                .statusCode(200)
                .body("items.id", equalTo(List.of("m1", "m2")))
                .body("items[0].level", equalTo(null))
                .body("nextCursor", notNullValue());
        LoggedRequest hop = sent("/roadmap/nodes", ROADMAP_TENANT).get(0);
        assertThat(hop.getUrl()).isEqualTo("/roadmap/nodes?level=milestone&status=planned&limit=2");

        int before = FlakyCell.observed()
                .findAll(anyRequestedFor(urlPathMatching("/roadmap/.*")))
                .size();
        String other = Tokens.valid(ROADMAP_TENANT, "viewer");
        as(other)
                .queryParam("level", "epic")
                .when()
                .get("/api/v1/roadmap/nodes")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("level"));
        as(other)
                .queryParam("status", "finished")
                .when()
                .get("/api/v1/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("field", equalTo("status"));
        as(other)
                .queryParam("parentId", "a b")
                .when()
                .get("/api/v1/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("field", equalTo("parentId"));
        as(Tokens.valid(ROADMAP_TENANT, "viewer"))
                .when()
                .get("/api/v1/roadmap/nodes/bad%20id")
                .then()
                .statusCode(400)
                .body("field", equalTo("id"));
        as(Tokens.valid(ROADMAP_TENANT, "viewer"))
                .queryParam("depth", 9)
                .when()
                .get("/api/v1/roadmap/nodes/m1/tree")
                .then()
                .statusCode(400)
                .body("field", equalTo("depth"));
        as(Tokens.valid(ROADMAP_TENANT, "viewer"))
                .queryParam("level", "milestone")
                .when()
                .get("/api/v1/roadmap/ready")
                .then()
                .statusCode(400)
                .body("field", equalTo("level"));
        as(Tokens.valid(ROADMAP_TENANT, "operator"))
                .queryParam("cascade", "maybe")
                .when()
                .delete("/api/v1/roadmap/nodes/m1")
                .then()
                .statusCode(400)
                .body("field", equalTo("cascade"));
        as(Tokens.valid(ROADMAP_TENANT, "viewer"))
                .when()
                .delete("/api/v1/roadmap/nodes/m1")
                .then()
                .statusCode(403);
        as(Tokens.valid(ROADMAP_TENANT, "viewer"))
                .when()
                .put("/api/v1/roadmap/nodes/t1/dependencies/t2")
                .then()
                .statusCode(403);
        assertThat(FlakyCell.observed().findAll(anyRequestedFor(urlPathMatching("/roadmap/.*"))))
                .as("nothing invalid or forbidden left the gateway")
                .hasSize(before);
    }

    @Test
    void theDerivedViewsAndWritesReachKnowledgeServiceWithTheirParameters() {
        String operator = Tokens.valid(ROADMAP_TENANT, "operator");
        String id = "f-" + UUID.randomUUID();
        FlakyCell.observed()
                .stubFor(any(urlPathMatching("/roadmap/(nodes/" + id + ".*|ready|order|milestones/.*)"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(ROADMAP_TENANT))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"id\":\"" + id + "\"}")));

        as(Tokens.valid(ROADMAP_TENANT, "viewer"))
                .queryParam("depth", 2)
                .when()
                .get("/api/v1/roadmap/nodes/" + id + "/tree")
                .then()
                .statusCode(200)
                .body("id", equalTo(id));
        as(Tokens.valid(ROADMAP_TENANT, "viewer"))
                .when()
                .get("/api/v1/roadmap/nodes/" + id + "/progress")
                .then()
                .statusCode(200);
        as(Tokens.valid(ROADMAP_TENANT, "viewer"))
                .queryParam("level", "TASK")
                .queryParam("under", id)
                .when()
                .get("/api/v1/roadmap/order")
                .then()
                .statusCode(200);
        as(Tokens.valid(ROADMAP_TENANT, "viewer"))
                .when()
                .get("/api/v1/roadmap/milestones/" + id + "/critical-path")
                .then()
                .statusCode(200);
        as(operator)
                .contentType(ContentType.JSON)
                .body("{\"status\":\"in_progress\"}")
                .when()
                .patch("/api/v1/roadmap/nodes/" + id)
                .then()
                .statusCode(200);
        as(operator)
                .when()
                .put("/api/v1/roadmap/nodes/" + id + "/dependencies/t-2")
                .then()
                .statusCode(200);
        as(operator)
                .queryParam("cascade", "true")
                .when()
                .delete("/api/v1/roadmap/nodes/" + id)
                .then()
                .statusCode(200);

        assertThat(sent("/roadmap/nodes/" + id + "/tree", ROADMAP_TENANT).get(0).getUrl())
                .isEqualTo("/roadmap/nodes/" + id + "/tree?depth=2");
        assertThat(sent("/roadmap/order", ROADMAP_TENANT))
                .extracting(LoggedRequest::getUrl)
                .contains("/roadmap/order?level=task&under=" + id);
        assertThat(sent("/roadmap/milestones/" + id + "/critical-path", ROADMAP_TENANT))
                .hasSize(1);
        List<LoggedRequest> writes = sent("/roadmap/nodes/" + id, ROADMAP_TENANT);
        assertThat(writes).extracting(r -> r.getMethod().value()).containsExactly("PATCH", "DELETE");
        assertThat(writes.get(0).getBodyAsString()).isEqualTo("{\"status\":\"in_progress\"}");
        assertThat(writes.get(1).getUrl()).isEqualTo("/roadmap/nodes/" + id + "?cascade=true");
        assertThat(sent("/roadmap/nodes/" + id + "/dependencies/t-2", ROADMAP_TENANT))
                .extracting(r -> r.getMethod().value())
                .containsExactly("PUT");
    }

    @Test
    void approvalsAreReadByViewersAndDecidedByOperatorsOnceWithTheirSubject() {
        String proposal = "ap-" + UUID.randomUUID();
        answer(
                "GET",
                "/approvals",
                APPROVAL_TENANT,
                200,
                "[{\"id\":\"" + proposal + "\",\"status\":\"pending\",\"tool\":\"roadmap_create_node\"}]");
        answer(
                "POST",
                "/approvals/" + proposal + "/(approve|reject)",
                APPROVAL_TENANT,
                200,
                "{\"id\":\"" + proposal + "\",\"status\":\"approved\"}");
        answer("GET", "/agent-types/planner/versions", APPROVAL_TENANT, 200, "[{\"version\":2},{\"version\":1}]");

        as(Tokens.valid(APPROVAL_TENANT, "viewer"))
                .header(Headers.TENANT, "intruder")
                .queryParam("status", "pending")
                .queryParam("runId", "run-1")
                .when()
                .get("/api/v1/approvals")
                .then()
                .statusCode(200)
                .body("items[0].id", equalTo(proposal));
        assertThat(sent("/approvals", APPROVAL_TENANT).get(0).getUrl())
                .isEqualTo("/approvals?status=pending&runId=run-1");
        as(Tokens.valid(APPROVAL_TENANT, "viewer"))
                .queryParam("status", "maybe")
                .when()
                .get("/api/v1/approvals")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("status"));
        as(Tokens.valid(APPROVAL_TENANT, "viewer"))
                .when()
                .get("/api/v1/agent-types/planner/versions")
                .then()
                .statusCode(200)
                .body("items.version", equalTo(List.of(2, 1)));

        as(Tokens.valid(APPROVAL_TENANT, "viewer"))
                .contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/v1/approvals/" + proposal + "/approve")
                .then()
                .statusCode(403)
                .contentType(PROBLEM);
        as(Tokens.valid(APPROVAL_TENANT, "viewer"))
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"no\"}")
                .when()
                .post("/api/v1/approvals/" + proposal + "/reject")
                .then()
                .statusCode(403);
        assertThat(sent("/approvals/" + proposal + "/approve", APPROVAL_TENANT)).isEmpty();

        String subject = "op-" + UUID.randomUUID();
        String key = "approve-" + UUID.randomUUID();
        for (int i = 0; i < 2; i++) {
            as(Tokens.validFor(APPROVAL_TENANT, subject, "operator"))
                    .header(Headers.SUBJECT, "someone-else")
                    .header(Headers.IDEMPOTENCY_KEY, key)
                    .contentType(ContentType.JSON)
                    .body("{\"note\":\"ok\"}")
                    .when()
                    .post("/api/v1/approvals/" + proposal + "/approve")
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("approved"))
                    .header("Idempotent-Replayed", i == 0 ? equalTo(null) : equalTo("true"));
        }
        List<LoggedRequest> approvals = sent("/approvals/" + proposal + "/approve", APPROVAL_TENANT);
        assertThat(approvals).as("a keyed decision reaches agent-service once").hasSize(1);
        assertThat(approvals.get(0).getHeader(Headers.SUBJECT)).isEqualTo(subject);
        assertThat(approvals.get(0).getBodyAsString()).isEqualTo("{\"note\":\"ok\"}");

        as(Tokens.validFor(APPROVAL_TENANT, subject, "admin"))
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"too big\"}")
                .when()
                .post("/api/v1/approvals/" + proposal + "/reject")
                .then()
                .statusCode(200);
        assertThat(sent("/approvals/" + proposal + "/reject", APPROVAL_TENANT)
                        .get(0)
                        .getHeader(Headers.SUBJECT))
                .isEqualTo(subject);
        as(Tokens.valid(APPROVAL_TENANT, "operator"))
                .contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/v1/approvals/bad%20id/approve")
                .then()
                .statusCode(400)
                .body("field", equalTo("id"));
    }
}
