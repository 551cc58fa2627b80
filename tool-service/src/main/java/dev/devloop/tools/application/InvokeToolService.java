package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.ids.TimeOrderedIds;
import dev.devloop.tools.domain.ArgumentViolation;
import dev.devloop.tools.domain.AuditEntry;
import dev.devloop.tools.domain.InvocationOutcome;
import dev.devloop.tools.domain.ToolDefinition;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.in.InvokeToolCommand;
import dev.devloop.tools.ports.in.InvokeToolUseCase;
import dev.devloop.tools.ports.in.ToolRefusal;
import dev.devloop.tools.ports.out.ArgumentSchemaPort;
import dev.devloop.tools.ports.out.AuditPort;
import dev.devloop.tools.ports.out.DependencyOutages;
import dev.devloop.tools.ports.out.DependencyUnavailableException;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.InvocationEventsPort;
import dev.devloop.tools.ports.out.InvocationLedgerPort;
import dev.devloop.tools.ports.out.LedgerEntry;
import dev.devloop.tools.ports.out.RunBudgetPort;
import dev.devloop.tools.ports.out.TenantQuotaPort;
import dev.devloop.tools.ports.out.ToolMetricsPort;
import dev.devloop.tools.ports.out.ToolRegistryPort;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The invocation path: unknown or disabled tool → 404, agent type not allowed → 403, arguments
 * against the schema → 400, idempotent replay, per-run budget → 403, then execution under the tool's
 * deadline with its output capped. Every attempt, allowed or refused, is audited and published.
 */
public class InvokeToolService implements InvokeToolUseCase {
    private static final Logger LOG = Logger.getLogger(InvokeToolService.class.getName());
    private static final int PREVIEW_RESERVE = 96;
    /** What a caller that met a dependency outage is told to wait; agent-service retries at least this often anyway. */
    private static final long OUTAGE_RETRY_AFTER_SECONDS = 1;

    private final ToolRegistryPort registry;
    private final ToolExecutors executors;
    private final ArgumentSchemaPort schemas;
    private final InvocationLedgerPort ledger;
    private final RunBudgetPort budgets;
    private final AuditPort audit;
    private final InvocationEventsPort events;
    private final Executor executor;
    private final ToolSettings settings;
    private final Clock clock;
    private final TenantQuotaPort quota;
    private final QuotaSettings quotas;
    private final ToolMetricsPort metrics;
    private final DependencyOutages outages;

    /** {@code quota} null (or {@code quotas} disabled): no per-tenant quota; {@link ToolMetricsPort#NONE}: no metrics. */
    public InvokeToolService(
            ToolRegistryPort registry,
            ToolExecutors executors,
            ArgumentSchemaPort schemas,
            InvocationLedgerPort ledger,
            RunBudgetPort budgets,
            AuditPort audit,
            InvocationEventsPort events,
            Executor executor,
            ToolSettings settings,
            Clock clock,
            TenantQuotaPort quota,
            QuotaSettings quotas,
            ToolMetricsPort metrics,
            DependencyOutages outages) {
        this.metrics = metrics;
        this.outages = outages;
        this.quota = quota;
        this.quotas = quotas;
        this.registry = registry;
        this.executors = executors;
        this.schemas = schemas;
        this.ledger = ledger;
        this.budgets = budgets;
        this.audit = audit;
        this.events = events;
        this.executor = executor;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public InvocationResult invoke(InvokeToolCommand command) {
        Attempt attempt = new Attempt(command);
        ToolDefinition tool = registry.find(command.tenant(), command.toolId()).orElse(null);
        if (tool == null || !tool.enabled()) {
            throw attempt.refused(
                    InvocationOutcome.UNKNOWN_TOOL,
                    tool == null ? "registered" : "enabled",
                    ToolProblems.unknownTool(command.toolId()));
        }
        if (!tool.allows(command.agentType())) {
            throw attempt.refused(
                    InvocationOutcome.DENIED,
                    "allowedAgentTypes",
                    ToolProblems.denied(
                            "allowedAgentTypes",
                            "agentType",
                            "agent type '" + command.agentType() + "' may not call '" + tool.id() + "' (allowed: "
                                    + String.join(", ", tool.allowedAgentTypes()) + ")"));
        }
        if (tool.kind() == ToolKind.AGENT) {
            checkArguments(attempt, tool, command.arguments());
            throw attempt.refused(
                    InvocationOutcome.DENIED,
                    "agentKind",
                    ToolProblems.conflict(
                            "tool-executed-by-agent-service",
                            "toolId",
                            "'" + tool.id() + "' is an agent tool: agent-service executes it inside the agent loop; "
                                    + "tool-service only registers, lists and permission-checks it (arguments are valid)"));
        }
        ToolExecutor implementation = executors.find(tool.implementation()).orElse(null);
        if (implementation == null) {
            throw attempt.refused(
                    InvocationOutcome.UNKNOWN_TOOL,
                    "executor",
                    new ToolRefusal(
                            ToolRefusal.Reason.NOT_IMPLEMENTED,
                            "tool-not-executable",
                            "Not implemented",
                            "'" + tool.id() + "' has no executor in this service",
                            null,
                            null));
        }
        checkArguments(attempt, tool, command.arguments());

        String invocationId = TimeOrderedIds.uuid(); // inserted at the call rate: see TimeOrderedIds
        Claim claim = null;
        if (command.idempotencyKey() != null) {
            Optional<InvocationResult> replay = claimOrReplay(attempt, tool, invocationId);
            if (replay.isPresent()) {
                return replay.get();
            }
            claim = new Claim(command, invocationId);
        }
        boolean counted = false;
        boolean ran = false;
        try {
            checkQuota(attempt, tool);
            counted = checkBudget(attempt, tool);
            InvocationResult result = execute(attempt, tool, implementation, invocationId, claim);
            ran = true;
            if (claim != null) {
                record(claim, result);
            }
            attempt.record(InvocationOutcome.valueOf(result.status()), null, result.error(), result);
            return result;
        } catch (ToolRefusal refused) {
            if (claim != null) {
                claim.release();
            }
            throw refused;
        } catch (RuntimeException failure) {
            Optional<String> away = dependencyOutage(failure);
            if (away.isEmpty()) {
                throw failure;
            }
            // a tool that ran but whose result could not be recorded keeps its claim: it lapses within its lease
            throw unavailable(attempt, tool, ran ? null : claim, counted && !ran, away.get(), failure);
        }
    }

    /**
     * The call met an outage before its result was recorded: its claim is released (or, the store being away too,
     * lapses within its lease), its run-budget call given back, and the caller told to retry with the same key.
     */
    private DependencyUnavailable unavailable(
            Attempt attempt, ToolDefinition tool, Claim claim, boolean counted, String dependency, Throwable failure) {
        LOG.info(() -> "tool " + tool.id() + " for tenant " + attempt.command.tenant() + " met an outage of "
                + dependency + " (" + failure + "); the caller retries with the same key");
        if (claim != null) {
            claim.release();
        }
        if (counted) {
            quietly(
                    "give back the run budget of " + tool.id(),
                    () -> budgets.refund(attempt.command.tenant(), attempt.command.runId(), tool.id()));
        }
        DependencyUnavailable refusal = new DependencyUnavailable(dependency, OUTAGE_RETRY_AFTER_SECONDS);
        quietly(
                "audit the outage of " + tool.id(),
                () -> attempt.refused(InvocationOutcome.UNAVAILABLE, "dependencyUnavailable", refusal));
        return refusal;
    }

    /** The dependency {@code failure} says was away: an adapter's {@link DependencyUnavailableException} or a store's. */
    private Optional<String> dependencyOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DependencyUnavailableException away) {
                return Optional.of(away.dependency());
            }
        }
        return outages.unreachable(failure);
    }

    /**
     * Records the result under the claim. The tool has run, so while the store is away the write is retried (the lease
     * renewed meanwhile) for up to {@code resultWriteWaitMs} rather than dropped: a retry of the key then replays the
     * result instead of running the tool again.
     */
    private void record(Claim claim, InvocationResult result) {
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.resultWriteWaitMs());
        while (true) {
            try {
                ledger.complete(claim.tenant, claim.runId, claim.key, result);
                return;
            } catch (RuntimeException e) {
                if (dependencyOutage(e).isEmpty() || System.nanoTime() - giveUp >= 0) {
                    throw e;
                }
                LOG.fine(() -> "result of " + result.toolId() + " not recorded yet (" + e + "); retrying");
                sleep(settings.replayPollMs());
                claim.renew();
            }
        }
    }

    private void checkArguments(Attempt attempt, ToolDefinition tool, JsonNode arguments) {
        if (arguments.toString().getBytes(StandardCharsets.UTF_8).length > settings.maxArgumentsBytes()) {
            throw attempt.refused(
                    InvocationOutcome.INVALID_ARGUMENTS,
                    "maxArgumentsBytes",
                    ToolRefusal.invalid(
                            "arguments", "arguments must be at most " + settings.maxArgumentsBytes() + " bytes"));
        }
        List<ArgumentViolation> violations = schemas.validate(tool.parameters(), arguments);
        if (!violations.isEmpty()) {
            ArgumentViolation first = violations.get(0);
            throw attempt.refused(
                    InvocationOutcome.INVALID_ARGUMENTS,
                    "schema",
                    new ToolRefusal(
                            ToolRefusal.Reason.INVALID,
                            "invalid-arguments",
                            "Invalid tool arguments",
                            first.field() + ": " + first.message(),
                            first.field(),
                            violations));
        }
    }

    /**
     * Wins the idempotency claim (empty) or answers from the call that holds it: waits for its result while its lease
     * is alive, takes the claim over once the lease lapsed (its holder crashed or lost the store).
     */
    private Optional<InvocationResult> claimOrReplay(Attempt attempt, ToolDefinition tool, String invocationId) {
        InvokeToolCommand c = attempt.command;
        Optional<LedgerEntry> holder = ledger.claim(
                c.tenant(), runScope(c), c.idempotencyKey(), tool.id(), invocationId, clock.instant(), leaseFromNow());
        if (holder.isEmpty()) {
            return Optional.empty();
        }
        LedgerEntry entry = holder.get();
        if (!entry.toolId().equals(tool.id())) {
            throw attempt.refused(
                    InvocationOutcome.DENIED,
                    "idempotencyKey",
                    ToolProblems.conflict(
                            "idempotency-key-reused",
                            "idempotencyKey",
                            "this idempotency key was already used for tool '" + entry.toolId() + "' in this run"));
        }
        long deadline =
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(tool.limits().timeoutMs() + settings.replayWaitMs());
        while (!entry.done()) {
            if (lapsed(entry, tool)
                    && ledger.takeOver(
                            c.tenant(),
                            runScope(c),
                            c.idempotencyKey(),
                            entry,
                            invocationId,
                            clock.instant(),
                            leaseFromNow())) {
                return Optional.empty();
            }
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            sleep(settings.replayPollMs());
            entry = ledger.load(c.tenant(), runScope(c), c.idempotencyKey()).orElse(null);
            if (entry == null) {
                // the first call was refused or met an outage and released its claim: this one competes afresh
                return claimOrReplay(attempt, tool, invocationId);
            }
        }
        if (entry.done()) {
            InvocationResult replay = entry.result().asReplay();
            attempt.record(InvocationOutcome.valueOf(replay.status()), null, replay.error(), replay);
            return Optional.of(replay);
        }
        throw attempt.refused(
                InvocationOutcome.IN_PROGRESS,
                "idempotencyKey",
                ToolProblems.conflict(
                        "invocation-in-progress",
                        "idempotencyKey",
                        "an invocation with this idempotency key is still running"));
    }

    /** Whether a pending claim's holder stopped renewing it (a claim without a lease: older than deadline + stale). */
    private boolean lapsed(LedgerEntry entry, ToolDefinition tool) {
        Instant now = clock.instant();
        if (entry.leaseUntil() != null) {
            return entry.leaseUntil().isBefore(now);
        }
        return entry.claimedAt().isBefore(now.minusMillis(tool.limits().timeoutMs() + settings.staleClaimMs()));
    }

    private Instant leaseFromNow() {
        return clock.instant().plusMillis(settings.claimLeaseMs());
    }

    /**
     * Per-tenant calls per minute and per day; a replay never counts. The store failing lets the call through.
     * A refusal names the window that ran out (the day's first: waiting for the next minute would not help)
     * and the seconds until that window ends.
     */
    private void checkQuota(Attempt attempt, ToolDefinition tool) {
        if (quota == null || !quotas.enabled()) {
            return;
        }
        String tenant = attempt.command.tenant();
        QuotaSettings.Limits limits = quotas.of(tenant);
        if (limits.perMinute() <= 0 && limits.perDay() <= 0) {
            return;
        }
        Instant now = clock.instant();
        TenantQuotaPort.Usage usage;
        try {
            usage = quota.consume(tenant, now);
        } catch (DownstreamException e) {
            LOG.warning(() -> "tool quota not enforced for tenant " + tenant + ": " + e.getMessage());
            return;
        }
        QuotaExceeded exceeded = null;
        if (limits.perDay() > 0 && usage.day() > limits.perDay()) {
            exceeded = new QuotaExceeded(
                    tenant,
                    "day",
                    limits.perDay(),
                    86_400,
                    QuotaExceeded.secondsUntilWindowEnds(now.toEpochMilli(), 86_400));
        } else if (limits.perMinute() > 0 && usage.minute() > limits.perMinute()) {
            exceeded = new QuotaExceeded(
                    tenant,
                    "minute",
                    limits.perMinute(),
                    60,
                    QuotaExceeded.secondsUntilWindowEnds(now.toEpochMilli(), 60));
        }
        if (exceeded != null) {
            metrics.quotaRefused(exceeded.window(), tool.kind());
            throw attempt.refused(InvocationOutcome.DENIED, "tenantQuota", exceeded);
        }
    }

    /** True when the call was counted against the run's budget (and must be given back if it meets an outage). */
    private boolean checkBudget(Attempt attempt, ToolDefinition tool) {
        int budget = tool.limits().maxCallsPerRun();
        if (budget == 0) {
            return false;
        }
        InvokeToolCommand c = attempt.command;
        if (c.runId() == null) {
            throw attempt.refused(
                    InvocationOutcome.INVALID_ARGUMENTS,
                    "maxCallsPerRun",
                    ToolRefusal.invalid(
                            "runId", "'" + tool.id() + "' allows " + budget + " calls per run, so runId is required"));
        }
        long calls = budgets.increment(c.tenant(), c.runId(), tool.id());
        if (calls > budget) {
            throw attempt.refused(
                    InvocationOutcome.DENIED,
                    "maxCallsPerRun",
                    ToolProblems.denied(
                            "maxCallsPerRun",
                            "runId",
                            "'" + tool.id() + "' may be called at most " + budget + " times per run"));
        }
        return true;
    }

    /**
     * Runs the tool under its deadline, renewing the claim's lease every {@code claimRenewMs} meanwhile. A dependency
     * outage the tool met propagates (as {@link DependencyUnavailableException} or the store's exception); any other
     * failure is the tool's result.
     */
    private InvocationResult execute(
            Attempt attempt, ToolDefinition tool, ToolExecutor implementation, String invocationId, Claim claim) {
        InvokeToolCommand c = attempt.command;
        ToolCall call = new ToolCall(c.tenant(), tool, c.arguments(), c.agentType(), c.agentId(), c.runId());
        long started = System.nanoTime();
        long deadline = started + TimeUnit.MILLISECONDS.toNanos(tool.limits().timeoutMs());
        CompletableFuture<JsonNode> running =
                CompletableFuture.supplyAsync(() -> implementation.execute(call), executor);
        try {
            JsonNode output = null;
            boolean finished = false;
            while (!finished) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException();
                }
                long slice =
                        claim == null ? left : Math.min(left, TimeUnit.MILLISECONDS.toNanos(settings.claimRenewMs()));
                try {
                    output = running.get(slice, TimeUnit.NANOSECONDS);
                    finished = true;
                } catch (TimeoutException stillRunning) {
                    if (claim != null && deadline - System.nanoTime() > 0) {
                        claim.renew();
                    }
                }
            }
            return new InvocationResult(
                    invocationId,
                    tool.id(),
                    InvocationResult.SUCCEEDED,
                    capped(output, tool.limits().maxOutputBytes()),
                    null,
                    elapsedMs(started),
                    false);
        } catch (TimeoutException e) {
            running.cancel(true);
            return failed(invocationId, tool, "timed out after " + tool.limits().timeoutMs() + " ms", started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.cancel(true);
            return failed(invocationId, tool, "interrupted", started);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ToolProblems.Denied denied) {
                throw attempt.refused(InvocationOutcome.DENIED, denied.rule(), denied);
            }
            if (cause instanceof ToolRefusal problem) {
                throw attempt.refused(InvocationOutcome.INVALID_ARGUMENTS, "arguments", problem);
            }
            if (cause instanceof ToolFailure failure) {
                return failed(invocationId, tool, failure.getMessage(), started);
            }
            Optional<String> away = dependencyOutage(cause);
            if (away.isPresent()) {
                throw new DependencyUnavailableException(away.get(), cause.getMessage(), cause);
            }
            LOG.log(Level.WARNING, "tool " + tool.id() + " failed unexpectedly", cause);
            return failed(
                    invocationId, tool, "the tool failed: " + cause.getClass().getSimpleName(), started);
        }
    }

    private InvocationResult failed(String invocationId, ToolDefinition tool, String error, long started) {
        return new InvocationResult(
                invocationId, tool.id(), InvocationResult.FAILED, null, error, elapsedMs(started), false);
    }

    /** Output beyond the tool's ceiling is replaced by a marked, cut preview of its JSON text. */
    static JsonNode capped(JsonNode output, int maxBytes) {
        JsonNode value = output == null ? JsonNodeFactory.instance.nullNode() : output;
        String text = value.toString();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return value;
        }
        int budget = Math.max(0, maxBytes - PREVIEW_RESERVE);
        StringBuilder preview = new StringBuilder();
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > budget) {
                break;
            }
            preview.appendCodePoint(codePoint);
            used += size;
            i += Character.charCount(codePoint);
        }
        ObjectNode marker = JsonNodeFactory.instance.objectNode();
        marker.put("truncated", true)
                .put("originalBytes", bytes.length)
                .put("maxOutputBytes", maxBytes)
                .put("preview", preview.toString());
        return marker;
    }

    private static String runScope(InvokeToolCommand command) {
        return command.runId() == null ? "" : command.runId();
    }

    private static long elapsedMs(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a concurrent invocation", e);
        }
    }

    /** Runs a best-effort write (a release, a refund, an audit line) whose failure must not hide the answer. */
    private static void quietly(String what, Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            LOG.warning(() -> "could not " + what + ": " + e);
        }
    }

    /** The idempotency claim this invocation holds: renewed while its tool runs, released when it must run again. */
    private final class Claim {
        private final String tenant;
        private final String runId;
        private final String key;
        private final String holder;

        Claim(InvokeToolCommand command, String holder) {
            this.tenant = command.tenant();
            this.runId = runScope(command);
            this.key = command.idempotencyKey();
            this.holder = holder;
        }

        /** Extends the lease; a store that is away is not an error here (the lease then lapses, bounded). */
        void renew() {
            try {
                if (!ledger.renew(tenant, runId, key, holder, leaseFromNow())) {
                    LOG.warning(() -> "the claim of key " + key + " was taken over while its tool was still running");
                }
            } catch (RuntimeException e) {
                LOG.fine(() -> "lease of key " + key + " not renewed: " + e);
            }
        }

        /** Frees the key for a retry; the store being away, the claim lapses within its lease instead. */
        void release() {
            quietly("release the claim of key " + key, () -> ledger.release(tenant, runId, key, holder));
        }
    }

    /** One invocation attempt: everything the audit of it needs. */
    private final class Attempt {
        private final InvokeToolCommand command;
        private final long started = System.nanoTime();

        Attempt(InvokeToolCommand command) {
            this.command = command;
        }

        ToolRefusal refused(InvocationOutcome outcome, String rule, ToolRefusal problem) {
            record(outcome, rule, problem.detail(), null);
            return problem;
        }

        void record(InvocationOutcome outcome, String rule, String detail, InvocationResult result) {
            AuditEntry entry = new AuditEntry(
                    TimeOrderedIds.uuid(),
                    command.tenant(),
                    command.toolId(),
                    command.agentType(),
                    command.agentId(),
                    command.runId(),
                    command.idempotencyKey(),
                    outcome,
                    rule,
                    detail,
                    result == null ? null : result.invocationId(),
                    elapsedMs(started),
                    result != null && result.replayed(),
                    clock.instant());
            audit.record(entry);
            events.invoked(entry);
        }
    }
}
