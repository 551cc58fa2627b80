package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.devloop.agent.ports.out.AgentRepositoryPort;
import dev.devloop.contracts.Headers;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * {@code limits.maxConcurrentRuns} on the real MongoDB: run starts racing on an agent at its limit are
 * serialized by one conditional update (only as many pass as there are slots), a slot is freed when its
 * run ends, and {@code coordinate_agents} given an unavailable agent fails the call for the model.
 */
@QuarkusTest
class ConcurrentRunLimitTest extends RunningServiceFixture {
    @Inject
    AgentRepositoryPort agents;

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "devloop.agent.database")
    String database;

    private void register(String body) {
        registerType(body);
    }

    @Test
    void racingStartsOnAnAgentAtItsLimitCannotBothPass() throws Exception {
        register("{\"type\":\"one_slot\",\"level\":\"child\",\"instructions\":\"One at a time.\","
                + "\"limits\":{\"maxTurns\":3,\"maxTokens\":10000,\"maxSeconds\":120,\"maxConcurrentRuns\":1}}");
        String agent = spawn("one_slot", null);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        model.blockThenAnswer(entered, release, "first");

        int racers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<io.restassured.response.Response>> starts = new ArrayList<>();
        try {
            for (int i = 0; i < racers; i++) {
                int n = i;
                starts.add(pool.submit(() -> {
                    go.await();
                    return as().body("{\"input\":\"race " + n + "\"}").post("/agents/" + agent + "/runs");
                }));
            }
            go.countDown();
            List<String> accepted = new ArrayList<>();
            int refused = 0;
            for (Future<io.restassured.response.Response> start : starts) {
                io.restassured.response.Response r = start.get(120, TimeUnit.SECONDS);
                if (r.statusCode() == 202) {
                    accepted.add(r.path("id"));
                } else {
                    assertThat(r.statusCode()).isEqualTo(409);
                    assertThat(r.<String>path("type")).isEqualTo("https://devloop.dev/problems/agent-unavailable");
                    refused++;
                }
            }
            assertThat(accepted).hasSize(1);
            assertThat(refused).isEqualTo(racers - 1);
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(agents.runSlots(tenant, agent)).containsExactly(accepted.get(0));
            // a refused start leaves no run behind
            assertThat(mongo.getDatabase(database)
                            .getCollection("runs")
                            .countDocuments(Filters.and(Filters.eq("tenant", tenant), Filters.eq("agentId", agent))))
                    .isEqualTo(1);

            release.countDown();
            assertThat(awaitStatus(accepted.get(0))).isEqualTo("COMPLETED");
            // the slot is freed just after the run's COMPLETED is stored (RunAgentService.ended), so it is awaited
            // (bounded) rather than read at once: one read raced it at load 20
            for (int i = 0; i < 300 && !agents.runSlots(tenant, agent).isEmpty(); i++) {
                Thread.sleep(100);
            }
            assertThat(agents.runSlots(tenant, agent)).isEmpty();
            // the slot is free again
            model.answer("second");
            as().body("{\"input\":\"after\"}")
                    .post("/agents/" + agent + "/runs?wait=true")
                    .then()
                    .statusCode(200)
                    .body("result", equalTo("second"));
            assertThat(agents.runSlots(tenant, agent)).isEmpty();
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void slotsAreASetOfRunIdsSoATakeoverNeverCountsTwiceAndAReleaseNeverGoesNegative() {
        String agent = spawn("assistant", null);
        assertThat(agents.acquireRunSlot(tenant, agent, "run_a", 2)).isTrue();
        // a recovery takeover re-registers the run it resumes: still one slot
        assertThat(agents.acquireRunSlot(tenant, agent, "run_a", 0)).isTrue();
        assertThat(agents.runSlots(tenant, agent)).containsExactly("run_a");
        assertThat(agents.acquireRunSlot(tenant, agent, "run_b", 2)).isTrue();
        assertThat(agents.acquireRunSlot(tenant, agent, "run_c", 2)).isFalse();
        agents.releaseRunSlot(tenant, agent, "run_a");
        agents.releaseRunSlot(tenant, agent, "run_a");
        assertThat(agents.runSlots(tenant, agent)).containsExactly("run_b");
        assertThat(agents.acquireRunSlot(tenant, agent, "run_c", 2)).isTrue();
        assertThat(agents.acquireRunSlot("other-" + tenant, agent, "run_d", 0)).isFalse(); // tenant scoped
    }

    @Test
    void aSlotLeftByARunThatEndedWithoutFreeingItIsReclaimedByTheNextStart() {
        register("{\"type\":\"leaky_slot\",\"level\":\"child\",\"instructions\":\"One at a time.\","
                + "\"limits\":{\"maxTurns\":3,\"maxTokens\":10000,\"maxSeconds\":120,\"maxConcurrentRuns\":1}}");
        String agent = spawn("leaky_slot", null);
        // a run that ended while its replica died before freeing the slot
        String ended = "run_" + UUID.randomUUID();
        Date now = new Date();
        mongo.getDatabase(database)
                .getCollection("runs")
                .insertOne(new Document("_id", ended)
                        .append("tenant", tenant)
                        .append("agentId", agent)
                        .append("agentType", "leaky_slot")
                        .append("input", "x")
                        .append("status", "COMPLETED")
                        .append("steps", List.of())
                        .append("createdAt", now)
                        .append("updatedAt", now)
                        .append("completedAt", now));
        assertThat(agents.acquireRunSlot(tenant, agent, ended, 1)).isTrue();

        model.answer("fine");
        as().body("{\"input\":\"go\"}")
                .post("/agents/" + agent + "/runs?wait=true")
                .then()
                .statusCode(200)
                .body("result", equalTo("fine"));
        assertThat(agents.runSlots(tenant, agent)).isEmpty();
    }

    @Test
    void coordinateAgentsRefusesAnUnavailableAgentAsAToolFailure() throws Exception {
        register("{\"type\":\"busy_child\",\"level\":\"child\",\"instructions\":\"Do the task.\","
                + "\"limits\":{\"maxTurns\":3,\"maxTokens\":10000,\"maxSeconds\":120,\"maxConcurrentRuns\":1}}");
        register("{\"type\":\"coordinator\",\"level\":\"parent\",\"instructions\":\"Delegate.\","
                + "\"allowedChildTypes\":[\"busy_child\"],"
                + "\"limits\":{\"maxTurns\":4,\"maxTokens\":10000,\"maxSeconds\":120,\"maxChildren\":2}}");
        String parent = spawn("coordinator", null);
        String child = spawn("busy_child", parent);
        // the child has a run in flight (fresh heartbeat) and a limit of one: overloaded
        String inFlight = "run_" + UUID.randomUUID();
        Date now = new Date();
        mongo.getDatabase(database)
                .getCollection("runs")
                .insertOne(new Document("_id", inFlight)
                        .append("tenant", tenant)
                        .append("agentId", child)
                        .append("agentType", "busy_child")
                        .append("input", "x")
                        .append("status", "RUNNING")
                        .append("steps", List.of())
                        .append("createdAt", now)
                        .append("updatedAt", now)
                        .append("owner", "another-replica")
                        .append("leaseRenewedAt", now)
                        .append("leaseUntil", new Date(now.getTime() + 3_600_000)));
        try {
            given().header(Headers.TENANT, tenant)
                    .get("/agents/" + child)
                    .then()
                    .body("availability", equalTo("overloaded"));
            model.callTool(
                            "k1",
                            "coordinate_agents",
                            "{\"tasks\":[{\"agentId\":\"" + child + "\",\"input\":\"do it\"}]}")
                    .answer("delegation refused, doing it myself");
            as().body("{\"input\":\"delegate\"}")
                    .post("/agents/" + parent + "/runs?wait=true")
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("COMPLETED"))
                    .body("steps[1].kind", equalTo("tool_call"))
                    .body("steps[1].tool", equalTo("coordinate_agents"))
                    .body("steps[1].status", equalTo("REJECTED"))
                    .body("steps[1].error", containsString("overloaded"));
            // the model was told why, and no run was given to the child
            String toolMessage = model.requests().get(1).messages().stream()
                    .filter(m -> "tool".equals(m.role()))
                    .findFirst()
                    .orElseThrow()
                    .content();
            assertThat(toolMessage).contains("REJECTED").contains("overloaded");
            assertThat(mongo.getDatabase(database)
                            .getCollection("runs")
                            .countDocuments(Filters.and(Filters.eq("tenant", tenant), Filters.eq("agentId", child))))
                    .isEqualTo(1);
        } finally {
            mongo.getDatabase(database).getCollection("runs").deleteOne(Filters.eq("_id", inFlight));
        }
    }

    private String awaitStatus(String runId) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            String status = given().header(Headers.TENANT, tenant)
                    .get("/runs/" + runId)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("status");
            if (!"RUNNING".equals(status)) {
                return status;
            }
            Thread.sleep(100);
        }
        return "TIMEOUT";
    }
}
