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
import com.mongodb.client.model.Filters;
import dev.devloop.contracts.Headers;
import dev.devloop.tools.ports.out.RestartLedgerPort;
import dev.devloop.tools.support.Stored;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The agent-kind tools, the seed's per-type assignment, read_logs and the restart ledger over the real servers. */
@QuarkusTest
class AgentAndSystemToolsTest {
    @Inject
    MongoClient mongo;

    @Inject
    RestartLedgerPort restarts;

    private static ValidatableResponse specs(String agentType) {
        return given().header(Headers.TENANT, tenant())
                .queryParam("agentType", agentType)
                .when()
                .get("/tools")
                .then()
                .statusCode(200);
    }

    @Test
    void eachAgentTypeGetsTheSeedsAssignment() {
        specs("system_health")
                .body(
                        "name",
                        hasItems(
                                "spawn_agent",
                                "coordinate_agents",
                                "monitor_children",
                                "retire_agent",
                                "handoff",
                                "query_knowledge_graph",
                                "log_activity",
                                "analyze_metrics",
                                "read_logs",
                                "dead_letters"))
                .body(
                        "name",
                        not(hasItems(
                                "restart_service",
                                "update_config",
                                "clear_cache",
                                "replay_dead_letters",
                                "reset_circuit")));
        specs("diagnostic")
                .body(
                        "name",
                        hasItems("read_logs", "analyze_metrics", "check_connectivity", "spawn_agent", "dead_letters"))
                .body("name", not(hasItems("restart_service", "replay_dead_letters", "reset_circuit")));
        specs("repair")
                .body(
                        "name",
                        hasItems(
                                "restart_service",
                                "update_config",
                                "clear_cache",
                                "handoff",
                                "replay_dead_letters",
                                "reset_circuit",
                                "dead_letters"))
                .body("name", not(hasItems("spawn_agent", "read_logs")));
        specs("assistant")
                .body("name", hasItems("query_knowledge_graph", "semantic_search", "log_activity", "handoff"))
                .body(
                        "name",
                        not(hasItems(
                                "spawn_agent",
                                "restart_service",
                                "read_logs",
                                "replay_dead_letters",
                                "reset_circuit")));
        specs("system_health")
                .body("find { it.name == 'spawn_agent' }.parameters.required", hasItems("agent_type", "task"))
                .body("find { it.name == 'coordinate_agents' }.parameters.properties.tasks.maxItems", equalTo(10));
    }

    @Test
    void agentToolsAreCheckedHereButExecutedByAgentService() {
        String tenant = tenant();
        given().header(Headers.TENANT, tenant)
                .when()
                .get("/tools/spawn_agent")
                .then()
                .statusCode(200)
                .body("kind", equalTo("agent"))
                .body("implementation", equalTo("agent-service"));
        invoke(
                        tenant,
                        "spawn_agent",
                        "{\"agent_type\":\"diagnostic\",\"task\":\"why is search slow?\"}",
                        "system_health")
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://devloop.dev/problems/tool-executed-by-agent-service"))
                .body("detail", startsWith("'spawn_agent' is an agent tool: agent-service executes it"));
        invoke(tenant, "spawn_agent", "{\"agent_type\":\"diagnostic\",\"task\":\"x\"}", "repair")
                .statusCode(403)
                .body("detail", startsWith("denied by rule allowedAgentTypes"));
        invoke(tenant, "spawn_agent", "{\"agent_type\":\"Diagnostic Agent\",\"task\":\"x\"}", "system_health")
                .statusCode(400)
                .body("field", equalTo("agent_type"));
        invoke(tenant, "coordinate_agents", "{\"tasks\":[]}", "system_health")
                .statusCode(400)
                .body("field", equalTo("tasks"));

        var audit = Stored.audit(mongo, tenant);
        assertThat(audit)
                .extracting(d -> d.getString("outcome") + "/" + d.getString("rule"))
                .containsExactlyInAnyOrder(
                        "DENIED/agentKind",
                        "DENIED/allowedAgentTypes",
                        "INVALID_ARGUMENTS/schema",
                        "INVALID_ARGUMENTS/schema");
    }

    @Test
    void tenantsCannotRegisterAgentTools() {
        given().header(Headers.TENANT, tenant())
                .contentType(ContentType.JSON)
                .body("""
            {"id":"my_spawner","description":"x","kind":"agent","implementation":"agent-service",
             "allowedAgentTypes":["assistant"],"parameters":{"type":"object"}}""")
                .when()
                .post("/tools")
                .then()
                .statusCode(400)
                .body("field", equalTo("kind"));
    }

    @Test
    void readLogsReadsTheConfiguredLogDirectory() throws Exception {
        Path dir = Files.createDirectories(Path.of("target/test-logs"));
        String marker = UUID.randomUUID().toString();
        Files.writeString(
                dir.resolve("provider-gateway.log"),
                "{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"ERROR\",\"loggerName\":\"p.Openai\",\"message\":\"upstream 503 "
                        + marker
                        + "\"}\n{\"timestamp\":\"2026-11-25T10:00:01Z\",\"level\":\"INFO\",\"loggerName\":\"p.Openai\","
                        + "\"message\":\"ok\"}\n");
        String tenant = tenant();
        invoke(tenant, "read_logs", "{\"service\":\"provider-gateway\",\"level\":\"ERROR\"}", "diagnostic")
                .statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("output.lines.message", org.hamcrest.Matchers.contains("upstream 503 " + marker));
        invoke(tenant, "read_logs", "{\"service\":\"redis\"}", "diagnostic")
                .statusCode(403)
                .body("detail", startsWith("denied by rule logAllowList"))
                .body("field", equalTo("service"));
        invoke(tenant, "read_logs", "{\"service\":\"provider-gateway\"}", "repair")
                .statusCode(403)
                .body("field", equalTo("agentType"));
    }

    @Test
    void checkConnectivityOpensOnlyTheConfiguredEndpoints() {
        String tenant = tenant();
        // the shipped endpoint config: redis is tcp 127.0.0.1:6379, where the real Redis listens
        invoke(tenant, "check_connectivity", "{\"target\":\"redis\"}", "diagnostic")
                .statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("output.protocol", equalTo("tcp"))
                .body("output.port", equalTo(6379))
                .body("output.reachable", equalTo(true));
        invoke(tenant, "check_connectivity", "{\"target\":\"redis\",\"port\":6380}", "diagnostic")
                .statusCode(403)
                .body("detail", startsWith("denied by rule networkEndpoint"))
                .body("field", equalTo("port"));
        invoke(tenant, "check_connectivity", "{\"target\":\"mongodb\",\"port\":22}", "diagnostic")
                .statusCode(403)
                .body("detail", startsWith("denied by rule networkEndpoint"));
        invoke(tenant, "check_connectivity", "{\"target\":\"knowledge-service\",\"protocol\":\"tcp\"}", "diagnostic")
                .statusCode(403)
                .body("field", equalTo("protocol"));
        invoke(tenant, "check_connectivity", "{\"target\":\"postgres\",\"port\":5432}", "diagnostic")
                .statusCode(403)
                .body("detail", startsWith("denied by rule networkAllowList"));
    }

    @Test
    void repairToolsWithoutAnOwnerOrRunnerFailReadably() {
        String tenant = tenant();
        invoke(tenant, "restart_service", "{\"service\":\"knowledge-service\",\"reason\":\"x\"}", "repair")
                .statusCode(403)
                .body("detail", startsWith("denied by rule operatorTenants"));
        invoke(tenant, "reset_circuit", "{\"provider\":\"openai\",\"reason\":\"x\"}", "repair")
                .statusCode(403)
                .body("detail", startsWith("denied by rule operatorTenants"))
                .body("field", equalTo("provider"));
        invoke(tenant, "reset_circuit", "{\"provider\":\"../v1/cache\",\"reason\":\"x\"}", "repair")
                .statusCode(400)
                .body("field", equalTo("provider"));
        invoke(
                        tenant,
                        "update_config",
                        "{\"setting\":\"provider-gateway.response-cache-enabled\",\"value\":\"yes\"}",
                        "repair")
                .statusCode(400)
                .body("field", equalTo("value"));
    }

    @Test
    void theRestartLedgerAllowsOneRestartPerCooldownAcrossCallers() {
        String service = "svc-" + UUID.randomUUID();
        Instant now = Instant.now();
        assertThat(restarts.acquire(service, "ops", "first", now, Duration.ofMinutes(5)))
                .isEmpty();
        assertThat(restarts.acquire(service, "ops", "second", now.plusSeconds(10), Duration.ofMinutes(5)))
                .isPresent();
        assertThat(restarts.acquire(service, "ops", "later", now.plusSeconds(301), Duration.ofMinutes(5)))
                .isEmpty();
        Document stored = mongo.getDatabase("devloop_tools")
                .getCollection("restarts")
                .find(Filters.eq("_id", service))
                .first();
        assertThat(stored.getString("reason")).isEqualTo("later");
    }
}
