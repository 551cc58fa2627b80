package dev.devloop.tools.adapters.out.mongo;

import static dev.devloop.tools.support.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.tools.adapters.out.jsonschema.NetworkntArgumentSchemas;
import dev.devloop.tools.application.InvokeToolService;
import dev.devloop.tools.application.QuotaSettings;
import dev.devloop.tools.application.ToolExecutor;
import dev.devloop.tools.application.ToolExecutors;
import dev.devloop.tools.domain.ActivityRecord;
import dev.devloop.tools.domain.InvocationOutcome;
import dev.devloop.tools.domain.ToolLimits;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.in.InvokeToolCommand;
import dev.devloop.tools.ports.out.ToolMetricsPort;
import dev.devloop.tools.support.Fixtures;
import dev.devloop.tools.support.InMemoryPorts;
import dev.devloop.tools.support.PrivateMongo;
import dev.devloop.tools.support.Refusals;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #18 on the real store: the invocation path with the MongoDB ledger, run budget and activity adapters over a
 * private MongoDB (the local stack's server program in its own process, {@link PrivateMongo}) that the test stops and
 * starts again. A call that meets the outage leaves no claim behind for longer than its lease, a retry of its key
 * after the store's return runs at once — not after the tool's deadline plus the replay window — and a tool whose
 * result was recorded is replayed, never run again. Shipped settings: lease 3 s renewed every second, results
 * retried for 30 s, a 10 s tool deadline, a 2 s replay window.
 */
class InvocationStoreOutageTest {
    private static final long TOOL_TIMEOUT_MS = 10_000;
    /** What a retry of a stranded claim used to wait before this fix: the tool's deadline plus the replay window. */
    private static final long OLD_WAIT_MS = TOOL_TIMEOUT_MS + 2_000;

    private static PrivateMongo mongo;
    private MongoClient client;
    private ToolStore store;
    private InvokeToolService service;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final InMemoryPorts.Audit audit = new InMemoryPorts.Audit();
    private final String tenant = Fixtures.tenant();
    /** Each tool counts its runs; blocks on {@link #gate} when armed. */
    private final AtomicInteger recorderRuns = new AtomicInteger();

    private final AtomicInteger counterRuns = new AtomicInteger();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile CountDownLatch gate;

    @BeforeAll
    static void privateServer() {
        mongo = new PrivateMongo().start();
    }

    @AfterAll
    static void stopIt() {
        mongo.close();
    }

    @BeforeEach
    void wire() {
        client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new com.mongodb.ConnectionString(mongo.url()))
                // the shipped settings: 2 s server selection and connect timeouts, a 1 s heartbeat
                .applyToClusterSettings(b -> b.serverSelectionTimeout(2, TimeUnit.SECONDS))
                .applyToSocketSettings(b -> b.connectTimeout(2, TimeUnit.SECONDS))
                .applyToServerSettings(b -> b.heartbeatFrequency(1, TimeUnit.SECONDS))
                .build());
        String database = "devloop_test_tools_outage_" + tenant.substring(2, 10);
        store = ToolStores.of(client, database);
        new MongoMigrator(
                        client.getDatabase(database),
                        MongoMigrator.MIGRATIONS,
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(1))
                .start();
        InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
        registry.save(Fixtures.tool("recorder", new ToolLimits(TOOL_TIMEOUT_MS, 4096, 5), "diagnostic"));
        registry.save(Fixtures.tool("counter", new ToolLimits(TOOL_TIMEOUT_MS, 4096, 0), "diagnostic"));
        MongoActivity activity = new MongoActivity(store);
        ToolExecutor recorder = ToolExecutor.ofNative("recorder", call -> {
            recorderRuns.incrementAndGet();
            awaitGate();
            // the tool's own write goes to the store: it fails while the store is away
            String id = activity.save(new ActivityRecord(
                    call.tenant(), "agent-1", "diagnostic", call.runId(), "info", "recorded", Instant.now()));
            return JsonNodeFactory.instance.objectNode().put("id", id);
        });
        ToolExecutor counter = ToolExecutor.ofNative("counter", call -> {
            awaitGate();
            return JsonNodeFactory.instance.objectNode().put("run", counterRuns.incrementAndGet());
        });
        service = new InvokeToolService(
                registry,
                new ToolExecutors(List.of(recorder, counter)),
                new NetworkntArgumentSchemas(16),
                new MongoInvocationLedger(store),
                new MongoRunBudget(store),
                audit,
                audit,
                pool,
                Fixtures.settings(),
                Clock.systemUTC(),
                null,
                QuotaSettings.unlimited(),
                ToolMetricsPort.NONE,
                new MongoStoreOutages());
    }

    @AfterEach
    void close() {
        CountDownLatch g = gate;
        if (g != null) {
            g.countDown();
        }
        pool.shutdownNow();
        mongo.start(); // a failed test may have left it stopped
        client.close();
    }

    @Test
    void aCallThatMetTheOutageLeavesNoClaimBehindAndItsRetryRunsOnceTheStoreIsBack() throws Exception {
        gate = new CountDownLatch(1);
        Future<InvocationResult> first = pool.submit(() -> invoke("recorder", "run-a", "call-1"));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pending("run-a", "call-1")).isTrue(); // the claim is in the store while the tool runs

        mongo.stop();
        gate.countDown(); // the tool's write now meets the outage, and so does the claim's release
        ProblemException away = Refusals.asProblem(catchThrowable(() -> unwrap(first)));
        assertThat(away.problem().status()).isEqualTo(503);
        assertThat(away.problem().detail()).startsWith("MongoDB is unavailable");

        Thread.sleep(1_000); // the outage goes on: 1 s more
        mongo.start();
        long back = System.nanoTime();
        InvocationResult retried = invoke("recorder", "run-a", "call-1");
        long resumedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
        InvocationResult replay = invoke("recorder", "run-a", "call-1");

        assertThat(retried.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(retried.replayed()).isFalse();
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.output()).isEqualTo(retried.output());
        // the stranded claim freed within its 3 s lease (from its last renewal, before the outage), not after 12 s
        assertThat(resumedMs).isLessThan(OLD_WAIT_MS / 2);
        assertThat(recorderRuns).hasValue(2); // once into the outage, once after it
        assertThat(activityOf("run-a")).isEqualTo(1); // the side effect happened once
        assertThat(audit.recorded)
                .extracting(e -> e.outcome())
                .containsExactly(
                        InvocationOutcome.UNAVAILABLE, InvocationOutcome.SUCCEEDED, InvocationOutcome.SUCCEEDED);
        System.out.printf("store outage: retry after the store's return answered in %d ms%n", resumedMs);
    }

    @Test
    void aToolThatFinishedWhileTheStoreWasAwayIsRecordedOnItsReturnAndReplayedNeverRunAgain() throws Exception {
        gate = new CountDownLatch(1);
        Future<InvocationResult> first = pool.submit(() -> invoke("counter", "run-b", "call-1"));
        awaitClaim("run-b", "call-1");

        mongo.stop();
        gate.countDown(); // the tool finishes now; its result cannot be written yet
        Thread.sleep(4_000); // longer than the lease: the caller is still held, its result not lost
        assertThat(first).isNotDone();
        mongo.start();

        InvocationResult result = first.get(30, TimeUnit.SECONDS);
        InvocationResult retried = invoke("counter", "run-b", "call-1");

        assertThat(result.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(retried.replayed()).isTrue();
        assertThat(retried.invocationId()).isEqualTo(result.invocationId());
        assertThat(counterRuns).hasValue(1);
    }

    @Test
    void aCompletedCallRetriedIsReplayedAndItsToolRunsOnce() {
        InvocationResult first = invoke("recorder", "run-c", "call-1");
        InvocationResult second = invoke("recorder", "run-c", "call-1");

        assertThat(second.replayed()).isTrue();
        assertThat(second.invocationId()).isEqualTo(first.invocationId());
        assertThat(second.output()).isEqualTo(first.output());
        assertThat(recorderRuns).hasValue(1);
        assertThat(activityOf("run-c")).isEqualTo(1);
    }

    @Test
    void aClaimAbandonedByACrashedHolderFreesWithinItsLease() {
        MongoInvocationLedger ledger = new MongoInvocationLedger(store);
        Instant now = Instant.now();
        // a holder that claimed the key, renewed once and died: its lease (3 s) runs out 2 s from now
        ledger.claim(tenant, "run-d", "call-1", "counter", "crashed-holder", now.minusSeconds(20), now.plusSeconds(2));

        long asked = System.nanoTime();
        InvocationResult result = invoke("counter", "run-d", "call-1");
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);

        assertThat(result.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(result.replayed()).isFalse();
        assertThat(counterRuns).hasValue(1);
        assertThat(waitedMs).isBetween(1_500L, OLD_WAIT_MS / 2);
        Document record = store.collection(ToolStore.INVOCATIONS)
                .find(Filters.and(Filters.eq("tenant", tenant), Filters.eq("runId", "run-d")))
                .first();
        assertThat(record.getString("state")).isEqualTo("DONE");
        assertThat(record.getString("holder")).isNotEqualTo("crashed-holder");
    }

    @Test
    void onlyTheHolderRenewsOrReleasesAndATakeOverNeedsTheLeaseItSaw() {
        MongoInvocationLedger ledger = new MongoInvocationLedger(store);
        Instant now = Instant.now();
        ledger.claim(tenant, "run-e", "k", "counter", "holder-1", now, now.plusSeconds(3));

        assertThat(ledger.renew(tenant, "run-e", "k", "someone-else", now.plusSeconds(9)))
                .isFalse();
        ledger.release(tenant, "run-e", "k", "someone-else");
        var seen = ledger.load(tenant, "run-e", "k").orElseThrow();
        assertThat(seen.holder()).isEqualTo("holder-1");
        assertThat(ledger.renew(tenant, "run-e", "k", "holder-1", now.plusSeconds(5)))
                .isTrue();
        // what the taker saw is stale now (the holder renewed): the compare-and-set refuses
        assertThat(ledger.takeOver(tenant, "run-e", "k", seen, "holder-2", now, now.plusSeconds(3)))
                .isFalse();
        var renewed = ledger.load(tenant, "run-e", "k").orElseThrow();
        assertThat(renewed.leaseUntil())
                .isEqualTo(now.plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(ledger.takeOver(tenant, "run-e", "k", renewed, "holder-2", now, now.plusSeconds(3)))
                .isTrue();
        assertThat(ledger.renew(tenant, "run-e", "k", "holder-1", now.plusSeconds(9)))
                .isFalse();
        ledger.release(tenant, "run-e", "k", "holder-2");
        assertThat(ledger.load(tenant, "run-e", "k")).isEmpty();
    }

    private InvocationResult invoke(String tool, String runId, String key) {
        return service.invoke(new InvokeToolCommand(tenant, tool, json("{}"), "diagnostic", "agent-1", runId, key));
    }

    private void awaitGate() {
        started.countDown();
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitClaim(String runId, String key) throws InterruptedException {
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pending(runId, key)).isTrue();
    }

    private boolean pending(String runId, String key) {
        Document d = store.collection(ToolStore.INVOCATIONS)
                .find(Filters.and(
                        Filters.eq("tenant", tenant), Filters.eq("runId", runId), Filters.eq("idempotencyKey", key)))
                .first();
        return d != null && "PENDING".equals(d.getString("state"));
    }

    private long activityOf(String runId) {
        return store.collection(ToolStore.ACTIVITY)
                .countDocuments(Filters.and(Filters.eq("tenant", tenant), Filters.eq("runId", runId)));
    }

    private static InvocationResult unwrap(Future<InvocationResult> call) throws Exception {
        try {
            return call.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }
}
