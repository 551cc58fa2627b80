package dev.devloop.tools.adapters.in.rest;

import static dev.devloop.tools.support.Fixtures.tenant;
import static dev.devloop.tools.support.RestInvocations.invoke;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.devloop.contracts.Headers;
import dev.devloop.tools.domain.ToolDefinition;
import dev.devloop.tools.domain.ToolLimits;
import dev.devloop.tools.ports.out.ToolRegistryPort;
import dev.devloop.tools.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The registry and invocation API on the real MongoDB and Kafka. */
@QuarkusTest
class ToolResourceTest {
    @Inject
    ToolRegistryPort registry;

    @Inject
    MongoClient mongo;

    private MongoCollection<Document> collection(String name) {
        return mongo.getDatabase("devloop_tools").getCollection(name);
    }

    private static String invocation(String args, String agentType, String runId, String key) {
        return """
        {"arguments":%s,"agentType":"%s","agentId":"agent-1","runId":%s,"idempotencyKey":%s}""".formatted(
                        args,
                        agentType,
                        runId == null ? "null" : "\"" + runId + "\"",
                        key == null ? "null" : "\"" + key + "\"");
    }

    private static void register(String tenant, String id, String allowedTypes) {
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("""
            {"id":"%s","description":"A note only some agents may write.","kind":"native",
             "implementation":"log_activity","allowedAgentTypes":%s,
             "parameters":{"type":"object","properties":{"message":{"type":"string"}},"required":["message"]},
             "limits":{"timeoutMs":3000,"maxOutputBytes":1024}}""".formatted(id, allowedTypes))
                .when()
                .post("/tools")
                .then()
                .statusCode(201)
                .body("scope", equalTo("tenant"))
                .body("limits.timeoutMs", equalTo(3000));
    }

    @Test
    void specsListTheShippedToolsForAnyAgentType() {
        given().header(Headers.TENANT, tenant())
                .queryParam("agentType", "assistant")
                .when()
                .get("/tools")
                .then()
                .statusCode(200)
                .body("name", hasItems("store_fact", "retrieve_fact", "log_activity"))
                .body("find { it.name == 'store_fact' }.parameters.required", hasItems("entity", "attribute", "value"))
                .body("find { it.name == 'store_fact' }.description", startsWith("Remember a fact"));
    }

    /**
     * {@code saveAll}, the one bulk write the start stores the shipped set with (issue 16): every registration is
     * inserted, and a second call replaces them by (scope, id) like {@code save} would, adding none.
     */
    @Test
    void saveAllUpsertsEveryRegistrationInOneCall() {
        String tenant = tenant();
        List<ToolDefinition> tools = new ArrayList<>();
        for (String id : List.of("bulk_a", "bulk_b", "bulk_c")) {
            ToolDefinition t = Fixtures.tool(id, new ToolLimits(5_000, 64, 0));
            tools.add(new ToolDefinition(
                    id,
                    tenant,
                    "first " + id,
                    t.parameters(),
                    t.kind(),
                    t.implementation(),
                    t.allowedAgentTypes(),
                    t.limits(),
                    true,
                    t.updatedAt(),
                    false));
        }
        registry.saveAll(tools);
        assertThat(tools).allSatisfy(t -> assertThat(registry.find(tenant, t.id()))
                .hasValueSatisfying(found -> assertThat(found.description()).isEqualTo("first " + t.id())));

        ToolDefinition b = tools.get(1);
        registry.saveAll(List.of(new ToolDefinition(
                b.id(),
                tenant,
                "second bulk_b",
                b.parameters(),
                b.kind(),
                b.implementation(),
                b.allowedAgentTypes(),
                b.limits(),
                true,
                b.updatedAt(),
                true)));
        assertThat(collection("tools").countDocuments(Filters.eq("tenant", tenant)))
                .isEqualTo(3);
        assertThat(registry.find(tenant, "bulk_b"))
                .hasValueSatisfying(found -> assertThat(found.description()).isEqualTo("second bulk_b"));
        assertThat(registry.find(tenant, "bulk_a"))
                .hasValueSatisfying(found -> assertThat(found.description()).isEqualTo("first bulk_a"));
    }

    @Test
    void writesGraphIsInBothViewsAndPersistedForARegisteredTool() {
        String tenant = tenant();
        given().header(Headers.TENANT, tenant)
                .queryParam("agentType", "planner")
                .when()
                .get("/tools")
                .then()
                .statusCode(200)
                .body("find { it.name == 'roadmap_create_node' }.writesGraph", equalTo(true))
                .body("find { it.name == 'roadmap_read' }.writesGraph", equalTo(false))
                .body("find { it.name == 'store_fact' }.writesGraph", equalTo(true))
                .body("find { it.name == 'query_knowledge_graph' }.writesGraph", equalTo(false));
        given().header(Headers.TENANT, tenant)
                .when()
                .get("/tools/roadmap_mark_progress")
                .then()
                .statusCode(200)
                .body("writesGraph", equalTo(true))
                .body("kind", equalTo("knowledge"))
                .body("allowedAgentTypes", hasItems("planner", "delivery", "repository", "pr_manager", "cicd"));

        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("""
            {"id":"graph_note","description":"A note that feeds the graph.","kind":"native","implementation":"log_activity",
             "allowedAgentTypes":["planner"],"writesGraph":true,
             "parameters":{"type":"object","properties":{"message":{"type":"string"}},"required":["message"]}}""")
                .when()
                .post("/tools")
                .then()
                .statusCode(201)
                .body("writesGraph", equalTo(true));
        Document stored = collection("tools")
                .find(Filters.eq("_id", tenant + "/graph_note"))
                .first();
        assertThat(stored).isNotNull();
        assertThat(stored.getBoolean("writesGraph")).isTrue();
        given().header(Headers.TENANT, tenant)
                .when()
                .get("/tools/graph_note")
                .then()
                .statusCode(200)
                .body("writesGraph", equalTo(true));

        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("""
            {"id":"quiet_fact","description":"Facts without approval.","kind":"knowledge","implementation":"store_fact",
             "allowedAgentTypes":["planner"],"writesGraph":false,
             "parameters":{"type":"object","properties":{"entity":{"type":"string"}}}}""")
                .when()
                .post("/tools")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("writesGraph"));

        // a registration stored before the field existed reads as false
        stored.remove("writesGraph");
        stored.put("_id", tenant + "/old_note");
        stored.put("id", "old_note");
        collection("tools").insertOne(stored);
        given().header(Headers.TENANT, tenant)
                .when()
                .get("/tools/old_note")
                .then()
                .statusCode(200)
                .body("writesGraph", equalTo(false));
    }

    @Test
    void specsNeedAnAgentTypeAndATenant() {
        given().header(Headers.TENANT, tenant())
                .when()
                .get("/tools")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("agentType"));
        given().queryParam("agentType", "assistant")
                .when()
                .get("/tools")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo(Headers.TENANT));
    }

    @Test
    void aRegisteredToolIsOfferedOnlyToItsAgentTypesAndTenant() {
        String tenant = tenant();
        register(tenant, "diag_note", "[\"diagnostic\"]");

        given().header(Headers.TENANT, tenant)
                .queryParam("agentType", "diagnostic")
                .when()
                .get("/tools")
                .then()
                .statusCode(200)
                .body("name", hasItems("diag_note", "store_fact"));
        given().header(Headers.TENANT, tenant)
                .queryParam("agentType", "repair")
                .when()
                .get("/tools")
                .then()
                .statusCode(200)
                .body("name", not(hasItems("diag_note")));
        given().header(Headers.TENANT, tenant())
                .queryParam("agentType", "diagnostic")
                .when()
                .get("/tools")
                .then()
                .statusCode(200)
                .body("name", not(hasItems("diag_note")));
        given().header(Headers.TENANT, tenant)
                .when()
                .get("/tools/diag_note")
                .then()
                .statusCode(200)
                .body("allowedAgentTypes", hasItems("diagnostic"))
                .body("enabled", equalTo(true));
    }

    @Test
    void permissionIsCheckedPerAgentTypeAndDenialsAreAudited() {
        String tenant = tenant();
        register(tenant, "diag_note", "[\"diagnostic\"]");

        invoke(tenant, "diag_note", invocation("{\"message\":\"cpu at 95%\"}", "diagnostic", "run-1", "c-1"))
                .then()
                .statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("output.id", not(equalTo(null)));
        invoke(tenant, "diag_note", invocation("{\"message\":\"cpu at 95%\"}", "repair", "run-1", "c-2"))
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://devloop.dev/problems/tool-denied"))
                .body("detail", startsWith("denied by rule allowedAgentTypes"))
                .body("field", equalTo("agentType"));

        List<Document> audit =
                collection("audit").find(Filters.eq("tenant", tenant)).into(new ArrayList<>());
        assertThat(audit).extracting(d -> d.getString("outcome")).containsExactlyInAnyOrder("SUCCEEDED", "DENIED");
        assertThat(audit)
                .filteredOn(d -> "DENIED".equals(d.getString("outcome")))
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.getString("rule")).isEqualTo("allowedAgentTypes");
                    assertThat(d.getString("agentType")).isEqualTo("repair");
                    assertThat(d.getString("toolId")).isEqualTo("diag_note");
                });
        assertThat(collection("activity").countDocuments(Filters.eq("tenant", tenant)))
                .isEqualTo(1);
    }

    @Test
    void schemaViolationsAre400NamingTheArgument() {
        String tenant = tenant();
        invoke(tenant, "log_activity", invocation("{\"level\":\"info\"}", "diagnostic", "run-1", "c-1"))
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("message"));
        invoke(
                        tenant,
                        "log_activity",
                        invocation("{\"message\":\"m\",\"level\":\"loud\"}", "diagnostic", "run-1", "c-2"))
                .then()
                .statusCode(400)
                .body("field", equalTo("level"));
        invoke(tenant, "store_fact", invocation("{\"entity\":\"a\",\"attribute\":\"b\"}", "assistant", "run-1", "c-3"))
                .then()
                .statusCode(400)
                .body("field", equalTo("value"));
        invoke(tenant, "log_activity", "{\"arguments\":{\"message\":\"m\"}}")
                .then()
                .statusCode(400)
                .body("field", equalTo("agentType"));
        assertThat(collection("activity").countDocuments(Filters.eq("tenant", tenant)))
                .isZero();
        assertThat(collection("audit")
                        .countDocuments(
                                Filters.and(Filters.eq("tenant", tenant), Filters.eq("outcome", "INVALID_ARGUMENTS"))))
                .isEqualTo(3);
    }

    @Test
    void aRetriedCallIsReplayedAndExecutesOnce() {
        String tenant = tenant();
        String body = invocation("{\"message\":\"restarted cache\"}", "repair", "run-42", "call_abc");
        String first = invoke(tenant, "log_activity", body)
                .then()
                .statusCode(200)
                .body("replayed", equalTo(false))
                .extract()
                .path("output.id");
        invoke(tenant, "log_activity", body)
                .then()
                .statusCode(200)
                .body("replayed", equalTo(true))
                .body("output.id", equalTo(first));

        assertThat(collection("activity").countDocuments(Filters.eq("tenant", tenant)))
                .isEqualTo(1);
        assertThat(collection("audit").find(Filters.eq("tenant", tenant)).into(new ArrayList<>()))
                .extracting(d -> d.getBoolean("replayed"))
                .containsExactlyInAnyOrder(false, true);
    }

    @Test
    void concurrentDuplicatesExecuteOnce() throws Exception {
        String tenant = tenant();
        String body = invocation("{\"message\":\"once\"}", "repair", "run-7", "call_dup");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(pool.submit(() -> invoke(tenant, "log_activity", body)));
            }
            List<Boolean> replayed = new ArrayList<>();
            for (Future<Response> call : calls) {
                Response r = call.get(30, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                replayed.add(r.path("replayed"));
            }
            assertThat(replayed).containsOnlyOnce(false);
        } finally {
            pool.shutdownNow();
        }
        assertThat(collection("activity").countDocuments(Filters.eq("tenant", tenant)))
                .isEqualTo(1);
    }

    @Test
    void replaysAreIsolatedPerTenant() {
        String a = tenant();
        String b = tenant();
        String body = invocation("{\"message\":\"same key\"}", "repair", "run-1", "call_1");
        invoke(a, "log_activity", body).then().statusCode(200).body("replayed", equalTo(false));
        invoke(b, "log_activity", body).then().statusCode(200).body("replayed", equalTo(false));

        assertThat(collection("activity").countDocuments(Filters.eq("tenant", a)))
                .isEqualTo(1);
        assertThat(collection("activity").countDocuments(Filters.eq("tenant", b)))
                .isEqualTo(1);
    }

    @Test
    void unknownAndDisabledToolsAre404AndAudited() {
        String tenant = tenant();
        register(tenant, "temp_note", "[\"*\"]");
        given().header(Headers.TENANT, tenant)
                .when()
                .post("/tools/temp_note/disable")
                .then()
                .statusCode(200)
                .body("enabled", equalTo(false));

        invoke(tenant, "temp_note", invocation("{\"message\":\"m\"}", "repair", null, null))
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        invoke(tenant, "never_registered", invocation("{}", "repair", null, null))
                .then()
                .statusCode(404);
        invoke(tenant(), "temp_note", invocation("{\"message\":\"m\"}", "repair", null, null))
                .then()
                .statusCode(404);
        given().header(Headers.TENANT, tenant)
                .when()
                .post("/tools/store_fact/disable")
                .then()
                .statusCode(403);

        assertThat(collection("audit").find(Filters.eq("tenant", tenant)).into(new ArrayList<>()))
                .extracting(d -> d.getString("outcome") + "/" + d.getString("rule"))
                .containsExactlyInAnyOrder("UNKNOWN_TOOL/enabled", "UNKNOWN_TOOL/registered");
    }

    @Test
    void theCallsPerRunBudgetIsEnforcedPerRun() {
        String tenant = tenant();
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("""
            {"id":"budgeted_note","description":"Two notes per run.","kind":"native","implementation":"log_activity",
             "allowedAgentTypes":["*"],"parameters":{"type":"object","properties":{"message":{"type":"string"}}},
             "limits":{"maxCallsPerRun":2}}""")
                .when()
                .post("/tools")
                .then()
                .statusCode(201)
                .body("limits.maxCallsPerRun", equalTo(2));

        invoke(tenant, "budgeted_note", invocation("{\"message\":\"1\"}", "repair", "run-b", "k1"))
                .then()
                .statusCode(200);
        invoke(tenant, "budgeted_note", invocation("{\"message\":\"2\"}", "repair", "run-b", "k2"))
                .then()
                .statusCode(200);
        invoke(tenant, "budgeted_note", invocation("{\"message\":\"2\"}", "repair", "run-b", "k2"))
                .then()
                .statusCode(200)
                .body("replayed", equalTo(true));
        invoke(tenant, "budgeted_note", invocation("{\"message\":\"3\"}", "repair", "run-b", "k3"))
                .then()
                .statusCode(403)
                .body("detail", startsWith("denied by rule maxCallsPerRun"))
                .body("field", equalTo("runId"));
        invoke(tenant, "budgeted_note", invocation("{\"message\":\"1\"}", "repair", "run-c", "k1"))
                .then()
                .statusCode(200);

        assertThat(collection("activity").countDocuments(Filters.eq("tenant", tenant)))
                .isEqualTo(3);
        assertThat(collection("audit")
                        .countDocuments(
                                Filters.and(Filters.eq("tenant", tenant), Filters.eq("rule", "maxCallsPerRun"))))
                .isEqualTo(1);
    }

    @Test
    void filesRoundTripInTheTenantWorkspaceAndTraversalIsRefused() {
        String tenant = tenant();
        invoke(
                        tenant,
                        "write_file",
                        invocation("{\"path\":\"reports/cache.md\",\"content\":\"cleared\"}", "repair", "run-1", "w1"))
                .then()
                .statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("output.size", equalTo(7));
        invoke(tenant, "read_file", invocation("{\"path\":\"reports/cache.md\"}", "diagnostic", "run-1", "r1"))
                .then()
                .statusCode(200)
                .body("output.content", equalTo("cleared"));
        invoke(tenant, "list_dir", invocation("{\"path\":\"reports\"}", "diagnostic", "run-1", "l1"))
                .then()
                .statusCode(200)
                .body("output.entries.name", hasItems("cache.md"));
        invoke(tenant, "read_file", invocation("{\"path\":\"../../../../etc/passwd\"}", "diagnostic", "run-1", "r2"))
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("path"));
        invoke(tenant, "write_file", invocation("{\"path\":\"x.md\",\"content\":\"x\"}", "diagnostic", "run-1", "w2"))
                .then()
                .statusCode(403)
                .body("detail", startsWith("denied by rule allowedAgentTypes"));
    }

    @Test
    void registrationRejectsBadBodiesNamingTheField() {
        String tenant = tenant();
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"id\":\"x\",\"description\":\"d\",\"kind\":\"teleport\",\"allowedAgentTypes\":[\"*\"],"
                        + "\"parameters\":{\"type\":\"object\"}}")
                .when()
                .post("/tools")
                .then()
                .statusCode(400)
                .body("field", equalTo("kind"));
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body(
                        "{\"id\":\"store_fact\",\"description\":\"d\",\"kind\":\"knowledge\",\"allowedAgentTypes\":[\"*\"],"
                                + "\"parameters\":{\"type\":\"object\"}}")
                .when()
                .post("/tools")
                .then()
                .statusCode(409);
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"id\":")
                .when()
                .post("/tools")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
