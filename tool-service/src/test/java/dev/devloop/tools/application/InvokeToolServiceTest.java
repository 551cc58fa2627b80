package dev.devloop.tools.application;

import static dev.devloop.tools.support.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.tools.adapters.out.jsonschema.NetworkntArgumentSchemas;
import dev.devloop.tools.domain.AuditEntry;
import dev.devloop.tools.domain.InvocationOutcome;
import dev.devloop.tools.domain.ToolLimits;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.in.InvokeToolCommand;
import dev.devloop.tools.ports.in.ToolRefusal;
import dev.devloop.tools.ports.out.DependencyOutages;
import dev.devloop.tools.ports.out.DependencyUnavailableException;
import dev.devloop.tools.ports.out.InvocationLedgerPort;
import dev.devloop.tools.ports.out.LedgerEntry;
import dev.devloop.tools.ports.out.ToolMetricsPort;
import dev.devloop.tools.support.Fixtures;
import dev.devloop.tools.support.InMemoryPorts;
import dev.devloop.tools.support.Refusals;
import dev.devloop.tools.support.TestExecutors;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The invocation use case against in-memory ports: order of checks, execution, replay, audit. */
class InvokeToolServiceTest {
    private final InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
    private final InMemoryPorts.Ledger ledger = new InMemoryPorts.Ledger();
    private final InMemoryPorts.Budget budget = new InMemoryPorts.Budget();
    private final InMemoryPorts.Audit audit = new InMemoryPorts.Audit();
    private final InMemoryPorts.Knowledge knowledge = new InMemoryPorts.Knowledge();
    private final InMemoryPorts.Activity activity = new InMemoryPorts.Activity();
    private final TestExecutors.Controlled controlled = new TestExecutors.Controlled("controlled");
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String tenant = Fixtures.tenant();
    private ToolExecutors executors;
    private InvokeToolService service;

    @BeforeEach
    void setUp() {
        Fixtures.shippedTools().forEach(registry::save);
        registry.save(Fixtures.tool("controlled", new ToolLimits(5_000, 64, 0), "diagnostic"));
        executors = new ToolExecutors(List.of(
                new StoreFactTool(knowledge),
                new RetrieveFactTool(knowledge),
                new LogActivityTool(activity, Clock.systemUTC()),
                controlled));
        service = service(Fixtures.settings(), ledger, DependencyOutages.NONE);
    }

    private InvokeToolService service(ToolSettings settings, InvocationLedgerPort ledger, DependencyOutages outages) {
        return new InvokeToolService(
                registry,
                executors,
                new NetworkntArgumentSchemas(16),
                ledger,
                budget,
                audit,
                audit,
                pool,
                settings,
                Clock.systemUTC(),
                null,
                QuotaSettings.unlimited(),
                ToolMetricsPort.NONE,
                outages);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    private InvocationResult invoke(String tool, String args, String agentType, String runId, String key) {
        return service.invoke(new InvokeToolCommand(tenant, tool, json(args), agentType, "agent-1", runId, key));
    }

    private ProblemException refused(String tool, String args, String agentType, String runId, String key) {
        return Refusals.asProblem(
                org.assertj.core.api.Assertions.catchThrowable(() -> invoke(tool, args, agentType, runId, key)));
    }

    @Test
    void storeFactCallsKnowledgeWithTheTenantAndReturnsTheFactWithItsTier() {
        InvocationResult result = invoke(
                "store_fact",
                "{\"entity\":\"build-server\",\"attribute\":\"status\",\"value\":\"healthy\",\"ttl_seconds\":3600}",
                "assistant",
                "run-1",
                "call-1");

        assertThat(result.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(result.output().path("tier").asText()).isEqualTo("medium");
        assertThat(result.output().path("value").asText()).isEqualTo("healthy");
        assertThat(knowledge.calls).containsExactly("PUT " + tenant + " build-server/status");
    }

    @Test
    void retrieveFactReadsBackAndAMissingFactIsAFailedResult() {
        invoke(
                "store_fact",
                "{\"entity\":\"db\",\"attribute\":\"role\",\"value\":{\"primary\":true}}",
                "assistant",
                null,
                null);

        InvocationResult found =
                invoke("retrieve_fact", "{\"entity\":\"db\",\"attribute\":\"role\"}", "repair", null, null);
        InvocationResult missing =
                invoke("retrieve_fact", "{\"entity\":\"db\",\"attribute\":\"size\"}", "repair", null, null);

        assertThat(found.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(found.output().path("value").path("primary").asBoolean()).isTrue();
        assertThat(found.output().path("tier").asText()).isEqualTo("long");
        assertThat(missing.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(missing.error()).isEqualTo("no such fact: db/size");
    }

    @Test
    void anUnreachableKnowledgeServiceIsA503WithNothingRecordedAndTheSameKeyRunsOnceItIsBack() {
        String args = "{\"entity\":\"a\",\"attribute\":\"b\",\"value\":1}";
        knowledge.down = true;
        ProblemException away = refused("store_fact", args, "x", "run-1", "call-1");

        assertThat(away.problem().status()).isEqualTo(503);
        assertThat(away.problem().type()).endsWith("/dependency-unavailable");
        assertThat(away.problem().detail()).startsWith("knowledge-service is unavailable");
        assertThat(ledger.load(tenant, "run-1", "call-1")).isEmpty();
        assertThat(audit.recorded)
                .singleElement()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(InvocationOutcome.UNAVAILABLE))
                .satisfies(e -> assertThat(e.rule()).isEqualTo("dependencyUnavailable"));

        knowledge.down = false;
        InvocationResult retried = invoke("store_fact", args, "x", "run-1", "call-1");
        InvocationResult again = invoke("store_fact", args, "x", "run-1", "call-1");

        assertThat(retried.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(retried.replayed()).isFalse();
        assertThat(again.replayed()).isTrue();
        assertThat(again.invocationId()).isEqualTo(retried.invocationId());
        // one attempt met the outage, one stored the fact; the third was answered from the record
        assertThat(knowledge.calls).hasSize(2);
        assertThat(knowledge.facts).containsOnlyKeys(tenant + "|a|b");
    }

    @Test
    void anOutageGivesTheRunBudgetBackSoTheRetryIsNotCountedTwice() {
        registry.save(Fixtures.tool("controlled", new ToolLimits(5_000, 64, 1), "diagnostic"));
        controlled.failWith = new DependencyUnavailableException("knowledge-service", "away", null);
        assertThat(refused("controlled", "{}", "diagnostic", "run-4", "k")
                        .problem()
                        .status())
                .isEqualTo(503);

        controlled.failWith = null;
        InvocationResult retried = invoke("controlled", "{}", "diagnostic", "run-4", "k");

        assertThat(retried.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(controlled.executions).hasValue(2);
        assertThat(refused("controlled", "{}", "diagnostic", "run-4", "other")
                        .problem()
                        .status())
                .isEqualTo(403);
    }

    @Test
    void aStoreOutageInsideTheToolIsA503ThatReleasesTheClaim() {
        service = service(Fixtures.settings(), ledger, storeAway());
        controlled.failWith = new StoreAway();
        ProblemException away = refused("controlled", "{}", "diagnostic", "run-5", "k");

        assertThat(away.problem().status()).isEqualTo(503);
        assertThat(away.problem().detail()).startsWith("the store is unavailable");
        assertThat(ledger.load(tenant, "run-5", "k")).isEmpty();

        controlled.failWith = null;
        assertThat(invoke("controlled", "{}", "diagnostic", "run-5", "k").replayed())
                .isFalse();
        assertThat(controlled.executions).hasValue(2);
    }

    @Test
    void aBusinessFailureIsStillARecordedResultNotAnOutage() {
        controlled.failWith = new ToolFailure("no such thing");
        InvocationResult failed = invoke("controlled", "{}", "diagnostic", "run-6", "k");
        controlled.failWith = null;
        InvocationResult replay = invoke("controlled", "{}", "diagnostic", "run-6", "k");

        assertThat(failed.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.error()).isEqualTo("no such thing");
        assertThat(controlled.executions).hasValue(1);
    }

    @Test
    void aClaimWhoseHolderStoppedRenewingIsTakenOverOnceItsLeaseLapses() {
        Instant now = Instant.now();
        ledger.claim(tenant, "run-7", "k", "controlled", "crashed", now.minusSeconds(5), now.plusMillis(1_000));

        long started = System.nanoTime();
        InvocationResult result = invoke("controlled", "{}", "diagnostic", "run-7", "k");
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(result.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(result.replayed()).isFalse();
        assertThat(controlled.executions).hasValue(1);
        // it waited for the lease (1 s), not for the tool's deadline plus the replay window (5 s + 2 s)
        assertThat(waitedMs).isBetween(800L, 4_000L);
        assertThat(ledger.load(tenant, "run-7", "k").orElseThrow().done()).isTrue();
    }

    @Test
    void aRunningToolKeepsItsClaimPastTheLeaseSoADuplicateReplaysIt() throws Exception {
        service = service(shortLease(30_000), ledger, DependencyOutages.NONE);
        controlled.gate = new CountDownLatch(1);
        Future<InvocationResult> a = pool.submit(() -> invoke("controlled", "{}", "diagnostic", "run-8", "k"));
        assertThat(controlled.started.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(1_000); // five leases: only its renewals keep the claim
        Future<InvocationResult> b = pool.submit(() -> invoke("controlled", "{}", "diagnostic", "run-8", "k"));
        Thread.sleep(500);
        assertThat(b).isNotDone();
        controlled.gate.countDown();

        InvocationResult first = a.get(10, TimeUnit.SECONDS);
        InvocationResult second = b.get(10, TimeUnit.SECONDS);
        assertThat(controlled.executions).hasValue(1);
        assertThat(second.replayed()).isTrue();
        assertThat(second.invocationId()).isEqualTo(first.invocationId());
    }

    @Test
    void aResultTheStoreCouldNotTakeAtOnceIsRecordedWhenItReturnsAndReplayed() {
        FlakyLedger flaky = new FlakyLedger(ledger, 3);
        service = service(Fixtures.settings(), flaky, storeAway());

        InvocationResult first = invoke("controlled", "{}", "diagnostic", "run-9", "k");
        InvocationResult replay = invoke("controlled", "{}", "diagnostic", "run-9", "k");

        assertThat(first.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(flaky.failedCompletes).isEqualTo(3);
        assertThat(replay.replayed()).isTrue();
        assertThat(controlled.executions).hasValue(1);
    }

    @Test
    void aResultTheStoreNeverTookIsA503AndTheClaimIsLeftToLapse() {
        FlakyLedger flaky = new FlakyLedger(ledger, Integer.MAX_VALUE);
        service = service(shortLease(300), flaky, storeAway());

        ProblemException away = refused("controlled", "{}", "diagnostic", "run-10", "k");

        assertThat(away.problem().status()).isEqualTo(503);
        // the tool ran: the claim is not released (a retry on the store's return waits for the lease, then runs)
        assertThat(ledger.load(tenant, "run-10", "k"))
                .hasValueSatisfying(e -> assertThat(e.done()).isFalse());
        assertThat(controlled.executions).hasValue(1);
    }

    /** Lease 200 ms renewed every 50 ms; results retried for {@code resultWriteWaitMs}. */
    private static ToolSettings shortLease(long resultWriteWaitMs) {
        ToolSettings d = Fixtures.settings();
        return new ToolSettings(
                d.defaultTimeoutMs(),
                d.maxTimeoutMs(),
                d.defaultMaxOutputBytes(),
                d.maxOutputBytesCeiling(),
                d.maxCallsPerRunCeiling(),
                d.maxToolsPerTenant(),
                d.maxDescriptionChars(),
                d.maxSchemaBytes(),
                d.maxArgumentsBytes(),
                d.maxAllowedAgentTypes(),
                d.replayWaitMs(),
                d.replayPollMs(),
                d.staleClaimMs(),
                200,
                50,
                resultWriteWaitMs);
    }

    /** What a store adapter lets through when its server cannot be reached. */
    private static final class StoreAway extends RuntimeException {
        StoreAway() {
            super("store away");
        }
    }

    private static DependencyOutages storeAway() {
        return failure -> failure instanceof StoreAway ? Optional.of("the store") : Optional.empty();
    }

    /** The in-memory ledger whose first {@code failures} result writes fail as an unreachable store's do. */
    private static final class FlakyLedger implements InvocationLedgerPort {
        private final InvocationLedgerPort ledger;
        private final int failures;
        private int failedCompletes;

        FlakyLedger(InvocationLedgerPort ledger, int failures) {
            this.ledger = ledger;
            this.failures = failures;
        }

        @Override
        public Optional<LedgerEntry> claim(
                String tenant, String runId, String key, String toolId, String id, Instant now, Instant lease) {
            return ledger.claim(tenant, runId, key, toolId, id, now, lease);
        }

        @Override
        public Optional<LedgerEntry> load(String tenant, String runId, String key) {
            return ledger.load(tenant, runId, key);
        }

        @Override
        public boolean renew(String tenant, String runId, String key, String holder, Instant leaseUntil) {
            return ledger.renew(tenant, runId, key, holder, leaseUntil);
        }

        @Override
        public boolean takeOver(
                String tenant, String runId, String key, LedgerEntry seen, String id, Instant now, Instant lease) {
            return ledger.takeOver(tenant, runId, key, seen, id, now, lease);
        }

        @Override
        public synchronized void complete(String tenant, String runId, String key, InvocationResult result) {
            if (failedCompletes < failures) {
                failedCompletes++;
                throw new StoreAway();
            }
            ledger.complete(tenant, runId, key, result);
        }

        @Override
        public void release(String tenant, String runId, String key, String holder) {
            ledger.release(tenant, runId, key, holder);
        }
    }

    @Test
    void anUnknownToolIs404AndAudited() {
        ProblemException e = refused("no_such_tool", "{}", "assistant", null, null);
        assertThat(e.problem().status()).isEqualTo(404);
        assertThat(audit.recorded).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(InvocationOutcome.UNKNOWN_TOOL);
            assertThat(a.tenant()).isEqualTo(tenant);
        });
        assertThat(audit.published).hasSize(1);
    }

    @Test
    void aDisallowedAgentTypeIs403NamingTheRuleAndIsAuditedWithoutExecuting() {
        ProblemException e = refused("controlled", "{}", "repair", "run-1", "k-1");

        assertThat(e.problem().status()).isEqualTo(403);
        assertThat(e.problem().detail()).startsWith("denied by rule allowedAgentTypes");
        assertThat(e.problem().field()).isEqualTo("agentType");
        assertThat(controlled.executions).hasValue(0);
        assertThat(audit.recorded).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(InvocationOutcome.DENIED);
            assertThat(a.rule()).isEqualTo("allowedAgentTypes");
            assertThat(a.agentType()).isEqualTo("repair");
        });
        assertThat(audit.published).singleElement().extracting(AuditEntry::rule).isEqualTo("allowedAgentTypes");
    }

    @Test
    void schemaViolationsAre400NamingTheArgument() {
        ProblemException missing = refused("store_fact", "{\"attribute\":\"b\",\"value\":1}", "x", null, null);
        ProblemException wrongType = refused(
                "store_fact",
                "{\"entity\":\"a\",\"attribute\":\"b\",\"value\":1,\"ttl_seconds\":\"soon\"}",
                "x",
                null,
                null);
        ProblemException extra = refused(
                "store_fact", "{\"entity\":\"a\",\"attribute\":\"b\",\"value\":1,\"owner\":\"me\"}", "x", null, null);
        ProblemException nullValue =
                refused("store_fact", "{\"entity\":\"a\",\"attribute\":\"b\",\"value\":null}", "x", null, null);

        assertThat(missing.problem().status()).isEqualTo(400);
        assertThat(missing.problem().field()).isEqualTo("entity");
        assertThat(wrongType.problem().field()).isEqualTo("ttl_seconds");
        assertThat(extra.problem().field()).isEqualTo("owner");
        assertThat(nullValue.problem().field()).isEqualTo("value");
        assertThat(knowledge.calls).isEmpty();
        assertThat(audit.recorded).hasSize(4).allSatisfy(a -> {
            assertThat(a.outcome()).isEqualTo(InvocationOutcome.INVALID_ARGUMENTS);
            assertThat(a.rule()).isEqualTo("schema");
        });
    }

    @Test
    void aRetryWithTheSameKeyIsReplayedWithoutExecutingAgain() {
        InvocationResult first =
                invoke("log_activity", "{\"message\":\"checked the cache\"}", "diagnostic", "run-1", "call-7");
        InvocationResult second =
                invoke("log_activity", "{\"message\":\"checked the cache\"}", "diagnostic", "run-1", "call-7");
        InvocationResult otherRun =
                invoke("log_activity", "{\"message\":\"checked the cache\"}", "diagnostic", "run-2", "call-7");

        assertThat(first.replayed()).isFalse();
        assertThat(second.replayed()).isTrue();
        assertThat(second.invocationId()).isEqualTo(first.invocationId());
        assertThat(second.output()).isEqualTo(first.output());
        assertThat(otherRun.replayed()).isFalse();
        assertThat(activity.records).hasSize(2);
        assertThat(audit.recorded).extracting(AuditEntry::replayed).containsExactly(false, true, false);
    }

    @Test
    void concurrentDuplicatesExecuteOnceAndTheLoserReplaysTheWinner() throws Exception {
        controlled.gate = new CountDownLatch(1);
        Future<InvocationResult> a = pool.submit(() -> invoke("controlled", "{}", "diagnostic", "run-1", "dup"));
        assertThat(controlled.started.await(10, TimeUnit.SECONDS)).isTrue();
        Future<InvocationResult> b = pool.submit(() -> invoke("controlled", "{}", "diagnostic", "run-1", "dup"));
        controlled.gate.countDown();

        InvocationResult first = a.get(10, TimeUnit.SECONDS);
        InvocationResult second = b.get(10, TimeUnit.SECONDS);
        assertThat(controlled.executions).hasValue(1);
        assertThat(first.replayed()).isFalse();
        assertThat(second.replayed()).isTrue();
        assertThat(second.invocationId()).isEqualTo(first.invocationId());
    }

    @Test
    void aKeyReusedForAnotherToolIsAConflict() {
        invoke("log_activity", "{\"message\":\"one\"}", "diagnostic", "run-1", "same");
        ProblemException e = refused("controlled", "{}", "diagnostic", "run-1", "same");
        assertThat(e.problem().status()).isEqualTo(409);
        assertThat(e.problem().field()).isEqualTo("idempotencyKey");
        assertThat(controlled.executions).hasValue(0);
    }

    @Test
    void aToolPastItsDeadlineFailsWithAClearError() {
        registry.save(Fixtures.tool("controlled", new ToolLimits(50, 64, 0), "diagnostic"));
        controlled.gate = new CountDownLatch(1);
        try {
            InvocationResult result = invoke("controlled", "{}", "diagnostic", "run-1", "slow");
            assertThat(result.status()).isEqualTo(InvocationResult.FAILED);
            assertThat(result.error()).isEqualTo("timed out after 50 ms");
            InvocationResult replay = invoke("controlled", "{}", "diagnostic", "run-1", "slow");
            assertThat(replay.replayed()).isTrue();
            assertThat(replay.error()).isEqualTo("timed out after 50 ms");
        } finally {
            controlled.gate.countDown();
        }
    }

    @Test
    void outputBeyondTheCeilingIsReplacedByAMarkedPreview() {
        InvocationResult small = invoke("controlled", "{\"size\":10}", "diagnostic", null, null);
        InvocationResult big = invoke("controlled", "{\"size\":5000}", "diagnostic", null, null);

        assertThat(small.output().path("data").asText()).hasSize(10);
        JsonNode capped = big.output();
        assertThat(capped.path("truncated").asBoolean()).isTrue();
        assertThat(capped.path("originalBytes").asInt()).isGreaterThan(5000);
        assertThat(capped.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(64 + 96);
    }

    @Test
    void theCapCountsBytesNotCharacters() {
        JsonNode output = json("{\"text\":\"" + "é".repeat(300) + "\"}");
        JsonNode capped = InvokeToolService.capped(output, 200);
        assertThat(capped.path("truncated").asBoolean()).isTrue();
        assertThat(capped.path("preview").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(200 - 96);
    }

    @Test
    void theCallsPerRunBudgetDeniesTheCallOverItAndNeedsARun() {
        registry.save(Fixtures.tool("controlled", new ToolLimits(5_000, 64, 2), "diagnostic"));
        invoke("controlled", "{}", "diagnostic", "run-9", "c1");
        invoke("controlled", "{}", "diagnostic", "run-9", "c2");
        InvocationResult replay = invoke("controlled", "{}", "diagnostic", "run-9", "c2");
        ProblemException over = refused("controlled", "{}", "diagnostic", "run-9", "c3");
        ProblemException noRun = refused("controlled", "{}", "diagnostic", null, null);

        assertThat(replay.replayed()).isTrue();
        assertThat(over.problem().status()).isEqualTo(403);
        assertThat(over.problem().detail()).startsWith("denied by rule maxCallsPerRun");
        assertThat(noRun.problem().status()).isEqualTo(400);
        assertThat(noRun.problem().field()).isEqualTo("runId");
        assertThat(controlled.executions).hasValue(2);
        assertThat(invoke("controlled", "{}", "diagnostic", "run-10", "c1").status())
                .isEqualTo(InvocationResult.SUCCEEDED);
    }

    @Test
    void aRefusedCallReleasesItsKeySoACorrectedRetryRuns() {
        registry.save(Fixtures.tool("controlled", new ToolLimits(5_000, 64, 1), "diagnostic"));
        invoke("controlled", "{}", "diagnostic", "run-3", "a");
        assertThatThrownBy(() -> invoke("controlled", "{}", "diagnostic", "run-3", "b"))
                .isInstanceOf(ToolRefusal.class);
        assertThat(ledger.load(tenant, "run-3", "b")).isEmpty();
    }

    @Test
    void commandsValidateTheirShape() {
        assertThat(catchProblem(() -> new InvokeToolCommand(tenant, "store_fact", null, null, null, null, null))
                        .field())
                .isEqualTo("agentType");
        assertThat(catchProblem(() -> new InvokeToolCommand(" ", "store_fact", null, "a", null, null, null))
                        .field())
                .isEqualTo("X-Devloop-Tenant");
        assertThat(catchProblem(() -> new InvokeToolCommand(tenant, "store_fact", json("[1]"), "a", null, null, null))
                        .field())
                .isEqualTo("arguments");
        assertThat(catchProblem(() -> new InvokeToolCommand(tenant, "../etc", null, "a", null, null, null))
                        .field())
                .isEqualTo("id");
    }

    private static dev.devloop.contracts.problem.Problem catchProblem(Runnable r) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(r::run);
        return Refusals.asProblem(t).problem();
    }
}
