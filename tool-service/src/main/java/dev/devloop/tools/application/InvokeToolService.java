package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.UUID;
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
            ToolMetricsPort metrics) {
        this.metrics = metrics;
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

        String invocationId = UUID.randomUUID().toString();
        boolean claimed = false;
        if (command.idempotencyKey() != null) {
            Optional<InvocationResult> replay = claimOrReplay(attempt, tool, invocationId);
            if (replay.isPresent()) {
                return replay.get();
            }
            claimed = true;
        }
        try {
            checkQuota(attempt, tool);
            checkBudget(attempt, tool);
            InvocationResult result = execute(attempt, tool, implementation, invocationId);
            if (claimed) {
                ledger.complete(command.tenant(), runScope(command), command.idempotencyKey(), result);
            }
            attempt.record(InvocationOutcome.valueOf(result.status()), null, result.error(), result);
            return result;
        } catch (ToolRefusal refused) {
            if (claimed) {
                ledger.release(command.tenant(), runScope(command), command.idempotencyKey());
            }
            throw refused;
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

    /** Wins the idempotency claim (empty) or answers from the call that holds it. */
    private Optional<InvocationResult> claimOrReplay(Attempt attempt, ToolDefinition tool, String invocationId) {
        InvokeToolCommand c = attempt.command;
        Optional<LedgerEntry> holder =
                ledger.claim(c.tenant(), runScope(c), c.idempotencyKey(), tool.id(), invocationId, clock.instant());
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
        while (!entry.done() && System.nanoTime() < deadline) {
            sleep(settings.replayPollMs());
            entry = ledger.load(c.tenant(), runScope(c), c.idempotencyKey()).orElse(null);
            if (entry == null) {
                // the first call was refused and released its claim: this one competes afresh
                return claimOrReplay(attempt, tool, invocationId);
            }
        }
        if (entry.done()) {
            InvocationResult replay = entry.result().asReplay();
            attempt.record(InvocationOutcome.valueOf(replay.status()), null, replay.error(), replay);
            return Optional.of(replay);
        }
        Instant staleBefore = clock.instant().minusMillis(tool.limits().timeoutMs() + settings.staleClaimMs());
        if (entry.claimedAt().isBefore(staleBefore)
                && ledger.takeOver(
                        c.tenant(),
                        runScope(c),
                        c.idempotencyKey(),
                        entry.claimedAt(),
                        invocationId,
                        clock.instant())) {
            return Optional.empty();
        }
        throw attempt.refused(
                InvocationOutcome.IN_PROGRESS,
                "idempotencyKey",
                ToolProblems.conflict(
                        "invocation-in-progress",
                        "idempotencyKey",
                        "an invocation with this idempotency key is still running"));
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

    private void checkBudget(Attempt attempt, ToolDefinition tool) {
        int budget = tool.limits().maxCallsPerRun();
        if (budget == 0) {
            return;
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
    }

    private InvocationResult execute(
            Attempt attempt, ToolDefinition tool, ToolExecutor implementation, String invocationId) {
        InvokeToolCommand c = attempt.command;
        ToolCall call = new ToolCall(c.tenant(), tool, c.arguments(), c.agentType(), c.agentId(), c.runId());
        long started = System.nanoTime();
        CompletableFuture<JsonNode> running =
                CompletableFuture.supplyAsync(() -> implementation.execute(call), executor);
        try {
            JsonNode output = running.get(tool.limits().timeoutMs(), TimeUnit.MILLISECONDS);
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
                    UUID.randomUUID().toString(),
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
