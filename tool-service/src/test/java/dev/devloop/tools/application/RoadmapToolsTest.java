package dev.devloop.tools.application;

import static dev.devloop.tools.support.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.tools.domain.AuditEntry;
import dev.devloop.tools.domain.InvocationOutcome;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.in.InvokeToolCommand;
import dev.devloop.tools.support.Fixtures;
import dev.devloop.tools.support.InMemoryPorts;
import dev.devloop.tools.support.Invoker;
import dev.devloop.tools.support.Refusals;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The roadmap tools through the invocation use case (permission, schema, execution, audit) with an
 * in-process stand-in of knowledge-service's roadmap API that records each call's path and body.
 */
class RoadmapToolsTest {
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    private final InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
    private final InMemoryPorts.Audit audit = new InMemoryPorts.Audit();
    private final InMemoryPorts.Roadmap knowledge = new InMemoryPorts.Roadmap();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String tenant = Fixtures.tenant();
    private InvokeToolService service;

    @BeforeEach
    void setUp() {
        Fixtures.shippedTools().forEach(registry::save);
        List<ToolExecutor> all =
                new ArrayList<>(new RoadmapTools(knowledge, Clock.fixed(NOW, ZoneOffset.UTC)).executors());
        service = Invoker.over(registry, audit, pool, all);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    private InvocationResult invoke(String tool, String args, String agentType) {
        return service.invoke(new InvokeToolCommand(
                tenant,
                tool,
                json(args),
                agentType,
                "agent-7",
                "run-42",
                UUID.randomUUID().toString()));
    }

    private Problem refused(String tool, String args, String agentType) {
        Throwable t = catchThrowable(() -> invoke(tool, args, agentType));
        return Refusals.asProblem(t).problem();
    }

    @Test
    void readsEachViewAtItsPathWithoutTheTenant() {
        knowledge.seed(tenant, "login", "feature", "planned");
        knowledge.seed(tenant, "m1", "milestone", "in_progress");

        InvocationResult node = invoke("roadmap_read", "{\"view\":\"node\",\"id\":\"login\"}", "planner");
        InvocationResult tree = invoke("roadmap_read", "{\"view\":\"tree\",\"id\":\"login\",\"depth\":3}", "delivery");
        InvocationResult progress = invoke("roadmap_read", "{\"view\":\"progress\",\"id\":\"login\"}", "assistant");
        InvocationResult path = invoke("roadmap_read", "{\"view\":\"critical_path\",\"id\":\"m1\"}", "cicd");

        assertThat(node.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(node.output().path("id").asText()).isEqualTo("login");
        assertThat(node.output().path("view").asText()).isEqualTo("node");
        assertThat(node.output().has("tenant")).isFalse();
        assertThat(tree.output().path("view").asText()).isEqualTo("tree");
        assertThat(progress.output().path("progress").asDouble()).isEqualTo(0.5);
        assertThat(path.output().path("milestone").asText()).isEqualTo("m1");
        assertThat(knowledge.roadmapCalls)
                .containsExactly(
                        "GET /roadmap/nodes/login",
                        "GET /roadmap/nodes/login/tree?depth=3",
                        "GET /roadmap/nodes/login/progress",
                        "GET /roadmap/milestones/m1/critical-path");
    }

    @Test
    void releaseNotesAndChangelogComeBackAsMarkdown() {
        knowledge.seed(tenant, "m1", "milestone", "in_progress");
        knowledge.seed(tenant, "login", "feature", "done");
        InvocationResult notes = invoke("roadmap_read", "{\"view\":\"release_notes\",\"id\":\"m1\"}", "repository");
        InvocationResult entry = invoke("roadmap_read", "{\"view\":\"changelog\",\"id\":\"login\"}", "repository");
        InvocationResult missing = invoke("roadmap_read", "{\"view\":\"changelog\",\"id\":\"nope\"}", "repository");
        assertThat(notes.output().path("markdown").asText()).startsWith("## [m1]");
        assertThat(entry.output().path("markdown").asText()).contains("- login");
        assertThat(missing.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(knowledge.roadmapCalls)
                .contains("GET /roadmap/milestones/m1/release-notes", "GET /roadmap/features/login/changelog");
    }

    @Test
    void readyAndOrderPassTheirFiltersAndAreCutAtTheLimit() {
        var list = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 5; i++) {
            list.addObject().put("id", "t" + i).put("tenant", tenant);
        }
        knowledge.list = list;

        InvocationResult ready = invoke(
                "roadmap_read", "{\"view\":\"ready\",\"level\":\"task\",\"under\":\"login\",\"limit\":3}", "planner");
        InvocationResult order = invoke("roadmap_read", "{\"view\":\"order\",\"level\":\"feature\"}", "planner");

        assertThat(ready.output().path("nodes")).hasSize(3);
        assertThat(ready.output().path("truncated").asBoolean()).isTrue();
        assertThat(ready.output().path("nodes").get(0).has("tenant")).isFalse();
        assertThat(order.output().path("order")).hasSize(5);
        assertThat(order.output().path("truncated").asBoolean()).isFalse();
        assertThat(knowledge.roadmapCalls)
                .containsExactly(
                        "GET /roadmap/ready?level=task&under=login&limit=3",
                        "GET /roadmap/order?level=feature&under=null");
    }

    @Test
    void anUnknownNodeIsAFailedResultTheModelCanRead() {
        InvocationResult result = invoke("roadmap_read", "{\"view\":\"node\",\"id\":\"nope\"}", "planner");
        assertThat(result.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(result.error()).isEqualTo("no such roadmap node: nope");
    }

    @Test
    void invalidArgumentsAre400NamingTheFieldAndReachNothing() {
        assertThat(refused("roadmap_read", "{\"view\":\"node\"}", "planner").field())
                .isEqualTo("id");
        assertThat(refused("roadmap_read", "{\"view\":\"everything\"}", "planner")
                        .field())
                .isEqualTo("view");
        assertThat(refused("roadmap_read", "{\"view\":\"tree\",\"id\":\"a\",\"depth\":9}", "planner")
                        .field())
                .isEqualTo("depth");
        assertThat(refused(
                                "roadmap_create_node",
                                "{\"level\":\"milestone\",\"parentId\":\"p\",\"name\":\"M\"}",
                                "planner")
                        .field())
                .isEqualTo("level");
        assertThat(refused(
                                "roadmap_create_node",
                                "{\"level\":\"task\",\"parentId\":\"../p\",\"name\":\"T\"}",
                                "planner")
                        .field())
                .isEqualTo("parentId");
        assertThat(refused(
                                "roadmap_create_node",
                                "{\"level\":\"task\",\"parentId\":\"p\",\"name\":\"" + "n".repeat(201) + "\"}",
                                "planner")
                        .field())
                .isEqualTo("name");
        assertThat(refused(
                                "roadmap_create_node",
                                "{\"level\":\"task\",\"parentId\":\"p\",\"name\":\"T\",\"estimate\":-1}",
                                "planner")
                        .field())
                .isEqualTo("estimate");
        assertThat(refused(
                                "roadmap_create_node",
                                "{\"level\":\"task\",\"parentId\":\"p\",\"name\":\"T\",\"status\":\"done\"}",
                                "planner")
                        .field())
                .isEqualTo("status");
        assertThat(refused("roadmap_update_node", "{\"id\":\"a\"}", "planner").field())
                .isEqualTo("arguments");
        assertThat(refused(
                                "roadmap_update_node",
                                "{\"id\":\"a\",\"metadata\":{\"blob\":\"" + "x".repeat(17_000) + "\"}}",
                                "planner")
                        .field())
                .isEqualTo("metadata");
        assertThat(refused("roadmap_mark_progress", "{\"id\":\"a\",\"status\":\"finished\"}", "planner")
                        .field())
                .isEqualTo("status");
        assertThat(refused("roadmap_link_run", "{\"id\":\"a\",\"runId\":\"bad run\"}", "planner")
                        .field())
                .isEqualTo("runId");
        assertThat(knowledge.roadmapCalls).isEmpty();
    }

    @Test
    void writesAreForPlannerAndDeliveryTypesAndReadsAlsoForTheAssistant() {
        knowledge.seed(tenant, "login", "feature", "planned");
        for (String type : List.of("planner", "delivery", "repository", "pr_manager", "cicd", "assistant")) {
            assertThat(invoke("roadmap_read", "{\"view\":\"node\",\"id\":\"login\"}", type)
                            .status())
                    .isEqualTo(InvocationResult.SUCCEEDED);
        }
        assertThat(refused("roadmap_read", "{\"view\":\"node\",\"id\":\"login\"}", "diagnostic")
                        .status())
                .isEqualTo(403);
        for (String tool :
                List.of("roadmap_create_node", "roadmap_update_node", "roadmap_mark_progress", "roadmap_link_run")) {
            Problem denied = refused(tool, "{\"id\":\"login\"}", "assistant");
            assertThat(denied.status()).as(tool).isEqualTo(403);
            assertThat(denied.field()).isEqualTo("agentType");
            assertThat(denied.detail()).startsWith("denied by rule allowedAgentTypes");
        }
        assertThat(audit.recorded)
                .filteredOn(a -> a.outcome() == InvocationOutcome.DENIED)
                .hasSize(5);
        assertThat(knowledge.roadmapCalls).hasSize(6);
    }

    @Test
    void createSendsOnlyTheNodeFieldsAndReturnsTheNode() {
        InvocationResult result = invoke("roadmap_create_node", """
        {"level":"task","parentId":"login","id":"login-tests","name":"Login tests","estimate":1.5,
         "owner":"agent:a-7","dependsOn":["login-api"],"description":"cover the form"}""", "planner");

        assertThat(result.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(result.output().path("status").asText()).isEqualTo("planned");
        assertThat(result.output().has("tenant")).isFalse();
        assertThat(knowledge.roadmapCalls).singleElement().satisfies(call -> {
            assertThat(call).startsWith("POST /roadmap/nodes ");
            JsonNode body = json(call.substring("POST /roadmap/nodes ".length()));
            assertThat(body).isEqualTo(json("""
          {"id":"login-tests","level":"task","parentId":"login","name":"Login tests","description":"cover the form",
           "estimate":1.5,"owner":"agent:a-7","dependsOn":["login-api"]}"""));
        });
    }

    @Test
    void knowledgeServiceRefusalsBecomeFailedResultsWithTheirProblem() {
        knowledge.refusal =
                "knowledge-service refused the call (409 dependency-cycle): the dependency would close a cycle "
                        + "(cycle: login-form -> login-api -> login-form)";
        InvocationResult cycle = invoke(
                "roadmap_create_node",
                "{\"level\":\"task\",\"parentId\":\"login\",\"name\":\"x\",\"dependsOn\":[\"login-api\"]}",
                "planner");
        knowledge.seed(tenant, "login", "feature", "done");
        knowledge.refusal =
                "knowledge-service refused the call (409 invalid-transition): not allowed (from done to blocked)";
        InvocationResult transition =
                invoke("roadmap_mark_progress", "{\"id\":\"login\",\"status\":\"blocked\"}", "delivery");
        InvocationResult missing = invoke("roadmap_update_node", "{\"id\":\"ghost\",\"name\":\"n\"}", "delivery");

        assertThat(cycle.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(cycle.error()).contains("dependency-cycle").contains("login-form -> login-api");
        assertThat(transition.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(transition.error()).contains("invalid-transition").contains("from done to blocked");
        assertThat(missing.error()).contains("404");
        assertThat(audit.recorded).extracting(AuditEntry::outcome).containsOnly(InvocationOutcome.FAILED);
    }

    @Test
    void anUnreachableKnowledgeServiceIsA503TheCallerRetriesNotAFailedResult() {
        knowledge.down = true;
        Problem away = refused("roadmap_mark_progress", "{\"id\":\"a\",\"status\":\"done\"}", "delivery");
        assertThat(away.status()).isEqualTo(503);
        assertThat(away.detail()).startsWith("knowledge-service is unavailable");
        assertThat(audit.recorded).extracting(AuditEntry::outcome).containsExactly(InvocationOutcome.UNAVAILABLE);
    }

    @Test
    void updatePatchesOnlyTheGivenFields() {
        knowledge.seed(tenant, "login", "feature", "planned");
        InvocationResult result = invoke(
                "roadmap_update_node",
                "{\"id\":\"login\",\"owner\":\"person:ana\",\"metadata\":{\"area\":\"auth\"}}",
                "repository");

        assertThat(result.output().path("owner").asText()).isEqualTo("person:ana");
        assertThat(knowledge.roadmapCalls)
                .containsExactly(
                        "PATCH /roadmap/nodes/login {\"owner\":\"person:ana\",\"metadata\":{\"area\":\"auth\"}}");
    }

    @Test
    void markProgressWithoutANoteOnlyPatchesTheStatus() {
        knowledge.seed(tenant, "login", "feature", "planned");
        invoke("roadmap_mark_progress", "{\"id\":\"login\",\"status\":\"in_progress\"}", "delivery");
        assertThat(knowledge.roadmapCalls).containsExactly("PATCH /roadmap/nodes/login {\"status\":\"in_progress\"}");
    }

    @Test
    void markProgressAppendsTheNoteToTheMetadataKeepingTheRest() {
        ObjectNode node = knowledge.seed(tenant, "login", "feature", "in_progress");
        node.putObject("metadata").put("area", "auth");

        InvocationResult result = invoke(
                "roadmap_mark_progress",
                "{\"id\":\"login\",\"status\":\"in_review\",\"note\":\"PR #12 open\"}",
                "pr_manager");

        assertThat(result.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(knowledge.roadmapCalls).hasSize(2);
        assertThat(knowledge.roadmapCalls.get(0)).isEqualTo("GET /roadmap/nodes/login");
        JsonNode patch = json(knowledge.roadmapCalls.get(1).substring("PATCH /roadmap/nodes/login ".length()));
        assertThat(patch.path("status").asText()).isEqualTo("in_review");
        assertThat(patch.path("metadata").path("area").asText()).isEqualTo("auth");
        assertThat(patch.path("metadata").path("notes")).singleElement().isEqualTo(json("""
        {"at":"2026-12-04T10:00:00Z","status":"in_review","note":"PR #12 open","agentId":"agent-7","runId":"run-42"}"""));
    }

    @Test
    void aNoteOnTheCurrentStatusSendsNoTransitionAndOnlyTheNewestNotesAreKept() {
        knowledge.seed(tenant, "login", "feature", "in_progress");
        for (int i = 0; i < RoadmapTools.MAX_NOTES + 3; i++) {
            invoke(
                    "roadmap_mark_progress",
                    "{\"id\":\"login\",\"status\":\"in_progress\",\"note\":\"step " + i + "\"}",
                    "delivery");
        }
        String last = knowledge.roadmapCalls.get(knowledge.roadmapCalls.size() - 1);
        JsonNode patch = json(last.substring("PATCH /roadmap/nodes/login ".length()));
        assertThat(patch.has("status")).isFalse();
        JsonNode notes = patch.path("metadata").path("notes");
        assertThat(notes).hasSize(RoadmapTools.MAX_NOTES);
        assertThat(notes.get(0).path("note").asText()).isEqualTo("step 3");
        assertThat(notes.get(RoadmapTools.MAX_NOTES - 1).path("note").asText()).isEqualTo("step 22");
    }

    @Test
    void linkRunDefaultsToTheInvokingRunAndTakesAnExplicitOne() {
        knowledge.seed(tenant, "login", "feature", "in_progress");
        invoke("roadmap_link_run", "{\"id\":\"login\"}", "cicd");
        InvocationResult explicit = invoke("roadmap_link_run", "{\"id\":\"login\",\"runId\":\"run-7\"}", "cicd");

        assertThat(knowledge.roadmapCalls)
                .containsExactly(
                        "PATCH /roadmap/nodes/login {\"links\":{\"runs\":[\"run-42\"]}}",
                        "PATCH /roadmap/nodes/login {\"links\":{\"runs\":[\"run-7\"]}}");
        assertThat(explicit.output().path("links").path("runs")).hasSize(2);
    }

    @Test
    void linkRunWithoutAnyRunIs400NamingRunId() {
        Throwable t = catchThrowable(() -> service.invoke(new InvokeToolCommand(
                tenant, "roadmap_link_run", json("{\"id\":\"login\"}"), "cicd", "agent-7", null, null)));
        assertThat(Refusals.asProblem(t).problem().field()).isEqualTo("runId");
        assertThat(knowledge.roadmapCalls).isEmpty();
    }
}
