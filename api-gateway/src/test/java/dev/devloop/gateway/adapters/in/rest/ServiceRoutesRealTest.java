package dev.devloop.gateway.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.devloop.contracts.Headers;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.FlakyCell;
import dev.devloop.gateway.support.OpenAiStub;
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
 * The routes to knowledge-service, tool-service, provider-gateway and agent-service against the real
 * services (packaged jars, real Redis/MongoDB/Neo4j/Kafka, LLM stubbed in OpenAI's wire format): roles,
 * tenant from the token only, BOLA (another tenant's ids are 404), fields=, cursor pages, idempotency,
 * and tenant → cell routing.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(FlakyCell.class)
@QuarkusTestResource(AgentServiceStub.class)
class ServiceRoutesRealTest {
    private static final String PROBLEM = "application/problem+json";

    private static RequestSpecification as(String tenant, String... roles) {
        return given().header("Authorization", "Bearer " + Tokens.valid(tenant, roles));
    }

    @Test
    void factsAreWrittenAndReadForTheTokensTenantOnlyAndAnotherTenantGets404() {
        String owner = Tokens.newTenant();
        String intruder = Tokens.newTenant();
        String entity = "web-" + UUID.randomUUID();

        as(owner, "operator")
                .header(Headers.TENANT, intruder)
                .contentType(ContentType.JSON)
                .body("{\"value\":{\"status\":\"slow\",\"p99\":900}}")
                .when()
                .put("/api/v1/facts/" + entity + "/health")
                .then()
                .statusCode(200)
                .body("tenant", equalTo(owner))
                .body("value.status", equalTo("slow"));

        as(owner, "viewer")
                .when()
                .get("/api/v1/facts/" + entity + "/health")
                .then()
                .statusCode(200)
                .body("entity", equalTo(entity))
                .body("value.p99", equalTo(900));
        as(owner, "viewer")
                .queryParam("fields", "value,attribute")
                .when()
                .get("/api/v1/facts/" + entity + "/health")
                .then()
                .statusCode(200)
                .body("attribute", equalTo("health"))
                .body("$", not(hasKey("tenant")))
                .body("$", not(hasKey("entity")));

        as(intruder, "admin")
                .when()
                .get("/api/v1/facts/" + entity + "/health")
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
        as(intruder, "admin")
                .header(Headers.TENANT, owner)
                .when()
                .get("/api/v1/facts/" + entity + "/health")
                .then()
                .statusCode(404);
    }

    @Test
    void aDocumentBatchIsIngestedForTheTokensTenantAndAnOversizedBatchIs413AtTheEdge() {
        String owner = Tokens.newTenant();
        String other = Tokens.newTenant();
        String body = "{\"documents\":[{\"id\":\"runbook\",\"title\":\"Runbook\",\"text\":\"Restart the payments"
                + " worker when its queue stalls.\"},{\"id\":\"notes\",\"title\":\"Notes\",\"text\":\"\"}]}";

        postBatch(as(owner, "operator").header(Headers.TENANT, other), body)
                .statusCode(200)
                .body("created", equalTo(1))
                .body("rejected", equalTo(1))
                .body("results[1].problem.field", equalTo("documents[1].text"));
        postBatch(as(owner, "operator"), body).statusCode(200).body("unchanged", equalTo(1));
        as(owner, "viewer").when().get("/api/v1/documents/runbook").then().statusCode(200);
        as(other, "viewer").when().get("/api/v1/documents/runbook").then().statusCode(404);
        postBatch(as(owner, "viewer"), body).statusCode(403);

        // above the bulk bound (8 MiB): refused by the gateway with problem+json, never forwarded
        String huge = "{\"documents\":[{\"id\":\"big\",\"title\":\"Big\",\"text\":\"" + "a".repeat(8_400_000) + "\"}]}";
        postBatch(as(owner, "operator"), huge).statusCode(413).contentType(PROBLEM);
    }

    private static io.restassured.response.ValidatableResponse postBatch(RequestSpecification request, String body) {
        return request.contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/documents/batch")
                .then();
    }

    @Test
    void rolesArePerRoute() {
        String tenant = Tokens.newTenant();
        as(tenant, "viewer")
                .contentType(ContentType.JSON)
                .body("{\"value\":1}")
                .when()
                .put("/api/v1/facts/a/b")
                .then()
                .statusCode(403)
                .contentType(PROBLEM);
        as(tenant, "operator")
                .contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"description\":\"d\",\"kind\":\"native\",\"parameters\":{\"type\":\"object\"}}")
                .when()
                .post("/api/v1/tools")
                .then()
                .statusCode(403);
        as(tenant, "viewer")
                .contentType(ContentType.JSON)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when()
                .post("/api/v1/chat/completions")
                .then()
                .statusCode(403);
        as(tenant, "viewer").when().get("/api/v1/mcp-servers").then().statusCode(403);
        given().when().get("/api/v1/entities").then().statusCode(401);
    }

    @Test
    void entityListsArePagedWithCursorsAndFieldsAndEntitiesAreTenantScoped() {
        String tenant = Tokens.newTenant();
        String type = "Host" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
        for (int i = 0; i < 3; i++) {
            as(tenant, "operator")
                    .contentType(ContentType.JSON)
                    .body("{\"id\":\"host-" + i + "\",\"type\":\"" + type + "\",\"properties\":{\"rack\":" + i + "}}")
                    .when()
                    .post("/api/v1/entities")
                    .then()
                    .statusCode(200);
        }
        Response first = as(tenant, "viewer")
                .queryParam("type", type)
                .queryParam("limit", 2)
                .queryParam("fields", "id")
                .when()
                .get("/api/v1/entities");
        first.then()
                .statusCode(200)
                .body("items.size()", equalTo(2))
                .body("nextCursor", notNullValue())
                .body("items[0]", not(hasKey("type")));
        String cursor = first.path("nextCursor");
        Response second = as(tenant, "viewer")
                .queryParam("type", type)
                .queryParam("limit", 2)
                .queryParam("cursor", cursor)
                .when()
                .get("/api/v1/entities");
        second.then().statusCode(200).body("items.size()", equalTo(1)).body("nextCursor", nullValue());
        List<String> ids = new java.util.ArrayList<>(first.path("items.id"));
        ids.addAll(second.path("items.id"));
        assertThat(ids).as("keyset pages of the service, in id order").containsExactly("host-0", "host-1", "host-2");

        as(tenant, "viewer")
                .queryParam("type", "Other")
                .queryParam("cursor", cursor)
                .when()
                .get("/api/v1/entities")
                .then()
                .statusCode(400)
                .body("field", equalTo("cursor"));
        as(tenant, "viewer")
                .queryParam("limit", 0)
                .when()
                .get("/api/v1/entities")
                .then()
                .statusCode(400)
                .body("field", equalTo("limit"));
        as(tenant, "viewer")
                .queryParam("fields", "a b")
                .when()
                .get("/api/v1/entities")
                .then()
                .statusCode(400)
                .body("field", equalTo("fields"));
        as(Tokens.newTenant(), "viewer")
                .queryParam("type", type)
                .when()
                .get("/api/v1/entities")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0));
        as(Tokens.newTenant(), "viewer")
                .when()
                .get("/api/v1/entities/host-0")
                .then()
                .statusCode(404);
    }

    @Test
    void aKeyedPostIsReplayedAndTheSameKeyWithAnotherBodyIs422() {
        String tenant = Tokens.newTenant();
        String subject = "user-" + UUID.randomUUID();
        String key = "ent-" + UUID.randomUUID();
        String body = "{\"id\":\"db-1\",\"type\":\"Database\"}";
        RequestSpecification first =
                given().header("Authorization", "Bearer " + Tokens.validFor(tenant, subject, "operator"));
        first.header(Headers.IDEMPOTENCY_KEY, key)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/entities")
                .then()
                .statusCode(200)
                .header("Idempotent-Replayed", nullValue());
        given().header("Authorization", "Bearer " + Tokens.validFor(tenant, subject, "operator"))
                .header(Headers.IDEMPOTENCY_KEY, key)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/entities")
                .then()
                .statusCode(200)
                .header("Idempotent-Replayed", equalTo("true"))
                .body("id", equalTo("db-1"));
        given().header("Authorization", "Bearer " + Tokens.validFor(tenant, subject, "operator"))
                .header(Headers.IDEMPOTENCY_KEY, key)
                .contentType(ContentType.JSON)
                .body("{\"id\":\"db-2\",\"type\":\"Database\"}")
                .when()
                .post("/api/v1/entities")
                .then()
                .statusCode(422)
                .body("field", equalTo(Headers.IDEMPOTENCY_KEY));
    }

    @Test
    void toolsAreListedAndInvokedThroughToolService() {
        String tenant = Tokens.newTenant();
        as(tenant, "viewer")
                .queryParam("agentType", "assistant")
                .queryParam("fields", "name")
                .queryParam("limit", 100)
                .when()
                .get("/api/v1/tools")
                .then()
                .statusCode(200)
                .body("items.name", hasItem("store_fact"))
                .body("items[0]", not(hasKey("parameters")));
        String entity = "build-" + UUID.randomUUID();
        as(tenant, "operator")
                .contentType(ContentType.JSON)
                .body("""
        {"arguments":{"entity":"%s","attribute":"status","value":"healthy","ttl_seconds":3600},"agentType":"assistant"}""".formatted(entity))
                .when()
                .post("/api/v1/tools/store_fact/invocations")
                .then()
                .statusCode(200);
        as(tenant, "viewer")
                .when()
                .get("/api/v1/facts/" + entity + "/status")
                .then()
                .statusCode(200)
                .body("value", equalTo("healthy"));
        as(Tokens.newTenant(), "viewer")
                .when()
                .get("/api/v1/facts/" + entity + "/status")
                .then()
                .statusCode(404);
        as(tenant, "viewer")
                .when()
                .get("/api/v1/tools/store_fact")
                .then()
                .statusCode(200)
                .body("id", equalTo("store_fact"));
        as(tenant, "viewer")
                .when()
                .get("/api/v1/tools/no-such-tool")
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
    }

    @Test
    void chatCompletionsAndModelsGoThroughProviderGateway() {
        String tenant = Tokens.newTenant();
        as(tenant, "operator")
                .contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"how is web-1?\"}]}")
                .when()
                .post("/api/v1/chat/completions")
                .then()
                .statusCode(200)
                .body("object", equalTo("chat.completion"))
                .body("choices[0].message.content", equalTo(OpenAiStub.FINAL_ANSWER));
        as(tenant, "viewer")
                .when()
                .get("/api/v1/models")
                .then()
                .statusCode(200)
                .body("object", equalTo("list"))
                .body("data", notNullValue());
        as(tenant, "operator")
                .contentType(ContentType.JSON)
                .body("{\"messages\":[]}")
                .when()
                .post("/api/v1/generate")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
    }

    @Test
    void aStackCellTenantsRunGoesToTheRealAgentServiceAndIsInvisibleToAnotherTenant() {
        String tenant = RealServices.STACK_TENANTS.get(0);
        Response run = as(tenant, "operator")
                .contentType(ContentType.JSON)
                .body("{\"input\":\"say hello\"}")
                .when()
                .post("/api/v1/agents/assistant/runs?wait=true");
        run.then().statusCode(200).body("status", equalTo("COMPLETED"));
        String runId = run.path("id");
        as(tenant, "viewer")
                .when()
                .get("/api/v1/runs/" + runId)
                .then()
                .statusCode(200)
                .body("id", equalTo(runId));
        as(RealServices.STACK_TENANTS.get(1), "admin")
                .when()
                .get("/api/v1/runs/" + runId)
                .then()
                .statusCode(404);
        as(tenant, "viewer")
                .queryParam("type", "assistant")
                .queryParam("limit", 1)
                .when()
                .get("/api/v1/agents")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1));
        as(tenant, "viewer")
                .when()
                .get("/api/v1/agent-types")
                .then()
                .statusCode(200)
                .body("items.type", hasItem("system_health"));
        assertThat(AgentServiceStub.server()
                        .findAll(anyRequestedFor(anyUrl()).withHeader(Headers.TENANT, WireMock.equalTo(tenant))))
                .as("a stack-cell tenant never reaches the local cell")
                .isEmpty();
    }

    @Test
    void theAgentListPagesToItsEndThroughTheGatewayCursor() {
        String tenant = RealServices.STACK_TENANTS.get(1);
        List<String> spawned = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            spawned.add(as(tenant, "operator")
                    .contentType(ContentType.JSON)
                    .body("{\"type\":\"system_health\"}")
                    .when()
                    .post("/api/v1/agents")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id"));
        }
        List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = as(tenant, "viewer")
                    .queryParam("type", "system_health")
                    .queryParam("limit", 2)
                    .queryParam("fields", "id");
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            Response page = request.when().get("/api/v1/agents");
            page.then().statusCode(200).body("items.size()", org.hamcrest.Matchers.lessThanOrEqualTo(2));
            seen.addAll(page.path("items.id"));
            cursor = page.path("nextCursor");
            pages++;
        } while (cursor != null && pages < 50);
        assertThat(cursor).as("the list ended").isNull();
        assertThat(seen).doesNotHaveDuplicates().containsAll(spawned);
    }

    @Test
    void anUnlistedTenantGoesToTheDefaultCell() {
        String tenant = Tokens.newTenant();
        as(tenant, "viewer").when().get("/api/v1/agents?type=assistant").then().statusCode(404);
        assertThat(AgentServiceStub.server()
                        .findAll(anyRequestedFor(anyUrl()).withHeader(Headers.TENANT, WireMock.equalTo(tenant))))
                .hasSize(1);
        assertThat(FlakyCell.server()
                        .findAll(anyRequestedFor(anyUrl()).withHeader(Headers.TENANT, WireMock.equalTo(tenant))))
                .isEmpty();
    }
}
