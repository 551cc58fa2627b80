package dev.devloop.agent.adapters.in.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.devloop.agent.application.RunAgentService;
import dev.devloop.agent.config.AgentServiceConfig;
import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentLevel;
import dev.devloop.agent.domain.AgentLimits;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults of the run store (#18), on the real MongoDB reached through an in-test TCP proxy
 * ({@link MongoBehindProxy}) that the test cuts and restores — the shared server is never stopped. Outcomes
 * are counted (runs completed, tripped, steps duplicated, tool calls executed twice); waits are bounded but
 * generous, and no duration is asserted. The last test drains the service (graceful shutdown), so it runs last.
 */
@QuarkusTest
@WithTestResource(MongoBehindProxy.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoreOutageTest extends StoreOutageFixture {
    private static final int RUNS = 4;
    private static final Duration OUTAGE = Duration.ofSeconds(6);

    @Inject
    TestPorts.Model model;

    @Inject
    TestPorts.Tools tools;

    @Inject
    RunAgentService service;

    @Inject
    RunRepositoryPort runs;

    @Inject
    MongoClient mongo;

    @Inject
    AgentServiceConfig config;

    StoreOutageTest() {
        super("so-");
    }

    @Test
    @Order(1)
    void runsInFlightRideOutAStoreOutageAndFinishOnceWithoutDuplicates() throws Exception {
        model.reset();
        tools.reset();
        CountDownLatch inModel = new CountDownLatch(RUNS);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < RUNS; i++) {
            model.blockThenCallTool(inModel, release, "c1", "store_fact", "{\"entity\":\"outage\"}");
        }
        for (int i = 0; i < RUNS; i++) {
            model.answer("stored despite the outage");
        }
        List<String> ids = startRuns(RUNS, "remember the outage");
        assertThat(inModel.await(60, TimeUnit.SECONDS))
                .as("every run is inside its model call")
                .isTrue();

        withStoreCut(OUTAGE, () -> {
            // a read during the outage is a 503 problem with Retry-After, never a 500
            Response during = as().get("/runs/" + ids.get(0));
            assertThat(during.statusCode()).isEqualTo(503);
            assertThat(during.contentType()).startsWith("application/problem+json");
            assertThat(during.header("Retry-After")).isEqualTo("5");
            assertThat(during.jsonPath().getInt("status")).isEqualTo(503);
            // the model answers while the store is away: every run must persist that step through the outage
            release.countDown();
        });
        long restored = System.nanoTime();

        int completed = 0;
        int tripped = 0;
        int duplicatedSteps = 0;
        for (String id : ids) {
            Map<String, Object> run = awaitTerminal(id);
            completed += "COMPLETED".equals(run.get("status")) ? 1 : 0;
            tripped += "TRIPPED".equals(run.get("status")) ? 1 : 0;
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> steps = (List<Map<String, Object>>) run.get("steps");
            long distinct = steps.stream().map(s -> s.get("index")).distinct().count();
            duplicatedSteps += steps.size() - (int) distinct;
            assertThat(steps).extracting(s -> s.get("kind")).containsExactly("model_call", "tool_call", "model_call");
            assertThat(run.get("pausedMs"))
                    .as("held by its own runner throughout, never taken over")
                    .isNull();
        }
        long executions =
                tools.executed().stream().filter(r -> ids.contains(r.runId())).count();
        // reported, not asserted (no wall-clock assertions): how long after the store's return every run had finished
        long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restored);
        System.out.printf(
                "store outage of %d s: %d runs, %d completed, %d tripped, %d duplicated steps, "
                        + "%d tool executions, %d connections refused by the cut store, all finished within %d ms of its return "
                        + "(observed by polling every 250 ms)%n",
                OUTAGE.toSeconds(),
                RUNS,
                completed,
                tripped,
                duplicatedSteps,
                executions,
                MongoBehindProxy.proxy.refused(),
                recoveredMs);
        assertThat(completed).isEqualTo(RUNS);
        assertThat(tripped).isZero();
        assertThat(duplicatedSteps).isZero();
        assertThat(executions).as("each run's tool call executed exactly once").isEqualTo(RUNS);
        assertThat(MongoBehindProxy.proxy.refused())
                .as("the store really was unreachable")
                .isPositive();
    }

    @Test
    @Order(2)
    void aTakeoverDoesNotChargeTheTimeNobodyExecutedTheRunToItsBudget() {
        Instant now = Instant.now();
        AgentDefinition def = AgentDefinition.of(
                "assistant", AgentLevel.CHILD, "d", "x", List.of(), null, null, new AgentLimits(5, 1000, 60, 0));
        Agent agent = Agent.spawn(tenant, def, null, now.minusSeconds(120));
        Run run = Run.start(tenant, agent, "left behind", null, now.minusSeconds(120));
        runs.create(run);
        // its runner last renewed the lease 100 s ago, then died
        mongo.getDatabase(config.database())
                .getCollection("runs")
                .updateOne(
                        Filters.eq("_id", run.id()),
                        Updates.combine(
                                Updates.set("owner", "dead-replica"),
                                Updates.set("leaseRenewedAt", Date.from(now.minusSeconds(100))),
                                Updates.set("leaseUntil", Date.from(now.minusSeconds(1)))));

        Run taken = null;
        for (int pass = 0; pass < 20 && taken == null; pass++) {
            List<Run> claimed = runs.claimAbandoned(20);
            taken = claimed.stream()
                    .filter(r -> r.id().equals(run.id()))
                    .findFirst()
                    .orElse(null);
            if (claimed.isEmpty()) {
                break;
            }
        }
        try {
            assertThat(taken).as("the abandoned run was taken over").isNotNull();
            assertThat(taken.pausedMs())
                    .as("the dead time since the last renewal")
                    .isGreaterThanOrEqualTo(100_000);
            assertThat(taken.workingTime(Instant.now()))
                    .as("120 s old, but only ~20 s of it executed")
                    .isLessThan(Duration.ofSeconds(60));
            as().get("/runs/" + run.id()).then().statusCode(200).body("pausedMs", org.hamcrest.Matchers.notNullValue());
        } finally {
            runs.finish(run.finish(RunStatus.CANCELLED, null, "test cleanup", run.usage(), List.of(), Instant.now()));
            runs.releaseAllLeases(); // whatever else this pass claimed goes back to its own replicas' recovery
        }
    }

    @Test
    @Order(3)
    void onShutdownARunYieldsAtItsNextStepBoundaryAndItsLeaseIsReleasedForAnotherReplica() throws Exception {
        model.reset();
        tools.reset();
        CountDownLatch inModel = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        model.blockThenCallTool(inModel, release, "c1", "store_fact", "{\"entity\":\"drain\"}")
                .answer("never asked");
        String id = startRun("remember while shutting down");
        assertThat(inModel.await(60, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Integer> drained = CompletableFuture.supplyAsync(() -> service.drain(Duration.ofSeconds(30)));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!service.draining() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        release.countDown(); // the model answers with a tool call; the run must stop before executing it
        assertThat(drained.get(60, TimeUnit.SECONDS))
                .as("no run left executing when the grace ended")
                .isZero();

        Response r = as().get("/runs/" + id);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.jsonPath().getString("status")).isEqualTo("RUNNING");
        assertThat(r.jsonPath().getList("steps.kind")).containsExactly("model_call");
        assertThat(tools.executed())
                .as("the tool call is left to the replica that resumes the run")
                .isEmpty();
        Document stored = mongo.getDatabase(config.database())
                .getCollection("runs")
                .find(Filters.eq("_id", id))
                .first();
        assertThat(stored.getString("owner"))
                .as("no owner: its lease was released")
                .isNull();
        assertThat(stored.getDate("leaseUntil")).isBefore(new Date());
        assertThat(service.resumeAbandoned())
                .as("a draining replica takes no runs")
                .isZero();
        assertThat(runs.claimAbandoned(50))
                .as("another replica's recovery takes it at once")
                .extracting(Run::id)
                .contains(id);
        runs.finish(runs.find(tenant, id)
                .orElseThrow()
                .finish(
                        RunStatus.CANCELLED,
                        null,
                        "test cleanup",
                        dev.devloop.agent.domain.TokenUsage.ZERO,
                        List.of(),
                        Instant.now()));
        runs.releaseAllLeases();
    }
}
