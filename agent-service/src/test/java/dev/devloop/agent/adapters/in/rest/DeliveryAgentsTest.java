package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.agent.support.GrantedTools;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.ToolSpec;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped delivery agents and the orchestration-tool grant, on the real MongoDB and Kafka, with the
 * scripted model and a tool port that lists and refuses tools the way tool-service's registry does
 * ({@link GrantedTools}: {@code handoff} granted to every type, the spawning tools only to the built-in
 * system_health/diagnostic by name). The forge itself is not exercised here (tool-service's and the
 * scenarios' job): the test asserts the hierarchy, the handoff and the tools each agent is offered.
 */
@QuarkusTest
class DeliveryAgentsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SPAWNING =
            List.of("spawn_agent", "coordinate_agents", "monitor_children", "retire_agent");

    @Inject
    TestPorts.Model model;

    @Inject
    TestPorts.Tools registry;

    private final String tenant = "dl-" + UUID.randomUUID();
    private GrantedTools tools;

    @BeforeEach
    void reset() {
        model.reset();
        tools = new GrantedTools();
        registry.reset();
        registry.use(tools);
    }

    @AfterEach
    void restore() {
        registry.reset(); // the other tests' stand-in again
    }

    private RequestSpecification as(String t) {
        return given().header(Headers.TENANT, t).contentType(ContentType.JSON);
    }

    private static List<String> offered(GenerateRequest request) {
        return request.tools().stream().map(ToolSpec::name).toList();
    }

    @Test
    void theDeliveryTypesAreShippedAndThePlannerHandsFeaturesToDelivery() {
        as(tenant)
                .get("/agent-types/delivery")
                .then()
                .statusCode(200)
                .body("level", equalTo("parent"))
                .body("scope", equalTo("shipped"))
                .body("allowedChildTypes", contains("repository", "cicd", "pr_manager"))
                .body("maxChildren", equalTo(8));
        for (String child : List.of("repository", "cicd", "pr_manager")) {
            as(tenant)
                    .get("/agent-types/" + child)
                    .then()
                    .statusCode(200)
                    .body("level", equalTo("child"))
                    .body("maxChildren", equalTo(0));
        }
        as(tenant).get("/agent-types/planner").then().statusCode(200).body("handoffTargets", hasItem("delivery"));
    }

    @Test
    void deliveryReadsTheFeatureSpawnsARepositoryAgentAndThatAgentRetriesACommitTheSecretScanRefused()
            throws Exception {
        model.callTool("d1", "roadmap_read", "{\"view\":\"node\",\"id\":\"login\"}")
                .callTool(
                        "d2",
                        "roadmap_mark_progress",
                        "{\"id\":\"login\",\"status\":\"in_progress\",\"note\":\"delivery started\"}")
                .callTool(
                        "d3",
                        "spawn_agent",
                        "{\"type\":\"repository\",\"task\":\"Repository demo, feature login, branch "
                                + "feature/login: add the login form; commit, push and open the pull request.\"}")
                // the repository child
                .callTool("r1", "git_clone", "{\"repository\":\"demo\",\"featureId\":\"login\"}")
                .callTool(
                        "r2",
                        "git_write_file",
                        "{\"repository\":\"demo\",\"featureId\":\"login\",\"path\":"
                                + "\"src/config.properties\",\"content\":\"aws.key=AKIAABCDEFGHIJKLMNOP\"}")
                .callTool(
                        "r3",
                        "git_commit",
                        "{\"repository\":\"demo\",\"featureId\":\"login\",\"message\":\"Add login\"}")
                .callTool(
                        "r4",
                        "git_write_file",
                        "{\"repository\":\"demo\",\"featureId\":\"login\",\"path\":"
                                + "\"src/config.properties\",\"content\":\"aws.key=${AWS_ACCESS_KEY_ID}\"}")
                .callTool(
                        "r5",
                        "git_commit",
                        "{\"repository\":\"demo\",\"featureId\":\"login\",\"message\":\"Add login\"}")
                .answer("branch feature/login committed without the secret")
                // back in the delivery parent
                .answer("feature login: repository agent committed on feature/login");

        JsonPath parent = as(tenant)
                .body("{\"input\":\"Deliver feature login in repository demo\"}")
                .post("/agents/delivery/runs?wait=true")
                .then()
                .statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("result", equalTo("feature login: repository agent committed on feature/login"))
                .extract()
                .jsonPath();

        List<GenerateRequest> requests = model.requests();
        assertThat(requests).hasSize(10);
        // delivery: its definition grants the spawning tools (tool-service lists them only for system_health and
        // diagnostic by name), tool-service its roadmap tools; no handoff (no handoff targets)
        assertThat(offered(requests.get(0)))
                .containsAll(SPAWNING)
                .contains("roadmap_read", "roadmap_mark_progress")
                .doesNotContain("handoff", "update_health_status");
        assertThat(requests.get(0).messages().get(0).content()).contains("You are the Devloop delivery agent");
        // repository: git tools, nothing to spawn with
        assertThat(offered(requests.get(3)))
                .contains("git_clone", "git_commit", "git_push", "forge_open_pr", "roadmap_read")
                .doesNotContainAnyElementsOf(SPAWNING)
                .doesNotContain("handoff");
        assertThat(requests.get(3).messages().get(0).content()).contains("You are the Devloop repository agent");
        assertThat(requests.get(3).messages().get(1).content()).contains("Repository demo, feature login");

        // the secret-scan refusal came back to the model as the tool's error, and the model could retry
        ChatMessage refusal =
                requests.get(6).messages().get(requests.get(6).messages().size() - 1);
        assertThat(refusal.content())
                .contains("\"status\":\"FAILED\"")
                .contains("secret scan refused the commit")
                .contains("src/config.properties:1")
                .doesNotContain("AKIAABCDEFGHIJKLMNOP");
        assertThat(tools.executedTools())
                .containsExactly(
                        "roadmap_read",
                        "roadmap_mark_progress",
                        "git_clone",
                        "git_write_file",
                        "git_commit",
                        "git_write_file",
                        "git_commit");

        // the hierarchy: one repository child under the delivery agent, its run completed
        String deliveryAgent = parent.getString("agentId");
        List<Map<String, Object>> steps = parent.getList("steps");
        Map<String, Object> spawn = steps.stream()
                .filter(s -> "spawn_agent".equals(s.get("tool")))
                .findFirst()
                .orElseThrow();
        assertThat(spawn.get("status")).isEqualTo("SUCCEEDED");
        JsonNode spawned = JSON.valueToTree(spawn.get("output"));
        assertThat(spawned.path("type").asText()).isEqualTo("repository");
        assertThat(spawned.path("run").path("status").asText()).isEqualTo("COMPLETED");
        as(tenant)
                .get("/agents/" + deliveryAgent)
                .then()
                .statusCode(200)
                .body("type", equalTo("delivery"))
                .body("children.size()", equalTo(1))
                .body("children[0].type", equalTo("repository"))
                .body("children[0].level", equalTo("child"))
                .body("children[0].parentId", equalTo(deliveryAgent))
                .body("children[0].id", equalTo(spawned.path("agentId").asText()));

        JsonPath child = as(tenant)
                .get("/runs/" + spawned.path("run").path("runId").asText())
                .then()
                .statusCode(200)
                .body("agentType", equalTo("repository"))
                .body("status", equalTo("COMPLETED"))
                .extract()
                .jsonPath();
        List<Map<String, Object>> commits = child.<Map<String, Object>>getList("steps").stream()
                .filter(s -> "git_commit".equals(s.get("tool")))
                .toList();
        assertThat(commits).extracting(s -> s.get("status")).containsExactly("FAILED", "SUCCEEDED");
        assertThat((String) commits.get(0).get("error")).contains("secret scan refused");
    }

    @Test
    void thePlannerHandsAReadyFeatureToDelivery() {
        model.callTool(
                        "p1",
                        "handoff",
                        "{\"toAgentType\":\"delivery\",\"task\":\"Deliver feature login in repository demo\"}")
                .answer("feature login is already done; nothing to deliver")
                .answer("handed feature login to delivery");

        JsonPath planner = as(tenant)
                .body("{\"input\":\"Deliver the ready feature login\"}")
                .post("/agents/planner/runs?wait=true")
                .then()
                .statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .extract()
                .jsonPath();

        GenerateRequest first = model.requests().get(0);
        ToolSpec handoff = first.tools().stream()
                .filter(t -> t.name().equals("handoff"))
                .findFirst()
                .orElseThrow();
        assertThat(handoff.parameters()
                        .path("properties")
                        .path("toAgentType")
                        .path("enum")
                        .toString())
                .contains("delivery");
        assertThat(offered(first)).doesNotContainAnyElementsOf(SPAWNING);
        assertThat(model.requests().get(1).messages().get(0).content()).contains("You are the Devloop delivery agent");

        Map<String, Object> step = planner.<Map<String, Object>>getList("steps").stream()
                .filter(s -> "handoff".equals(s.get("tool")))
                .findFirst()
                .orElseThrow();
        assertThat(step.get("status")).isEqualTo("SUCCEEDED");
        JsonNode out = JSON.valueToTree(step.get("output"));
        as(tenant)
                .get("/handoffs/" + out.path("handoffId").asText())
                .then()
                .statusCode(200)
                .body("toAgentType", equalTo("delivery"))
                .body("status", equalTo("COMPLETED"))
                .body("fromAgentId", equalTo(planner.getString("agentId")))
                .body("result", equalTo("feature login is already done; nothing to deliver"));
    }

    @Test
    void aTenantRegisteredParentTypeMaySpawnAndATypeWithoutChildrenMayNot() {
        as(tenant)
                .body(
                        "{\"type\":\"captain\",\"level\":\"parent\",\"instructions\":\"You lead.\",\"allowedChildTypes\":"
                                + "[\"repository\"],\"limits\":{\"maxTurns\":5,\"maxTokens\":10000,\"maxSeconds\":60,\"maxChildren\":2}}")
                .post("/agent-types")
                .then()
                .statusCode(201);
        as(tenant)
                .body("{\"type\":\"loner\",\"level\":\"parent\",\"instructions\":\"You work alone.\","
                        + "\"limits\":{\"maxTurns\":5,\"maxTokens\":10000,\"maxSeconds\":60,\"maxChildren\":0}}")
                .post("/agent-types")
                .then()
                .statusCode(201);

        model.callTool(
                        "c1",
                        "spawn_agent",
                        "{\"agent_type\":\"repository\",\"task\":\"say which branch you would use\"}")
                .answer("feature/x")
                .answer("the child answered");
        JsonPath captain = as(tenant)
                .body("{\"input\":\"lead\"}")
                .post("/agents/captain/runs?wait=true")
                .then()
                .statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .extract()
                .jsonPath();
        assertThat(offered(model.requests().get(0))).containsAll(SPAWNING);
        Map<String, Object> spawn = captain.<Map<String, Object>>getList("steps").stream()
                .filter(s -> "spawn_agent".equals(s.get("tool")))
                .findFirst()
                .orElseThrow();
        assertThat(spawn.get("status")).isEqualTo("SUCCEEDED");
        as(tenant)
                .get("/agents/" + captain.getString("agentId"))
                .then()
                .statusCode(200)
                .body("children.size()", equalTo(1))
                .body("children[0].type", equalTo("repository"));

        model.reset();
        model.callTool("l1", "spawn_agent", "{\"agent_type\":\"repository\",\"task\":\"x\"}")
                .answer("could not");
        JsonPath loner = as(tenant)
                .body("{\"input\":\"work\"}")
                .post("/agents/loner/runs?wait=true")
                .then()
                .statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .extract()
                .jsonPath();
        assertThat(offered(model.requests().get(0))).doesNotContainAnyElementsOf(SPAWNING);
        Map<String, Object> denied = loner.<Map<String, Object>>getList("steps").stream()
                .filter(s -> "spawn_agent".equals(s.get("tool")))
                .findFirst()
                .orElseThrow();
        assertThat(denied.get("status")).isEqualTo("DENIED");
        as(tenant)
                .get("/agents/" + loner.getString("agentId"))
                .then()
                .statusCode(200)
                .body("children.size()", equalTo(0));
    }
}
