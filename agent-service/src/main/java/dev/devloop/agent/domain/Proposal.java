package dev.devloop.agent.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * A graph-writing tool call held for an operator's decision (approve before write). Its id derives from
 * the tenant, the run and the tool call, so a resumed run finds the proposal it already made; the id is
 * also the tool invocation's idempotency key once approved, so the tool runs exactly once.
 */
public record Proposal(
        String id,
        String tenant,
        String runId,
        String agentId,
        String agentType,
        String toolCallId,
        String tool,
        String argumentsJson,
        String reasoning,
        Status status,
        Instant createdAt,
        Instant decidedAt,
        String decidedBy,
        String note,
        String reason) {

    public static final String ID_PREFIX = "apr_";

    /**
     * Where a proposal stands; only {@code PENDING} may be decided. {@code EXPIRED}: its run ended
     * (cancelled, tripped, failed, out of time) before anyone decided it.
     */
    public enum Status {
        PENDING,
        APPROVED,
        REJECTED,
        EXPIRED
    }

    public static String id(String tenant, String runId, String toolCallId) {
        return ID_PREFIX
                + UUID.nameUUIDFromBytes(
                        (tenant + "\u0000" + runId + "\u0000" + toolCallId).getBytes(StandardCharsets.UTF_8));
    }

    public static Proposal pending(Run run, ToolCallRecord call, String reasoning, Instant now) {
        return new Proposal(
                id(run.tenant(), run.id(), call.id()),
                run.tenant(),
                run.id(),
                run.agentId(),
                run.agentType(),
                call.id(),
                call.name(),
                call.argumentsJson(),
                reasoning,
                Status.PENDING,
                now,
                null,
                null,
                null,
                null);
    }
}
