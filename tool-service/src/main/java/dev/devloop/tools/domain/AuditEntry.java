package dev.devloop.tools.domain;

import java.time.Instant;

/**
 * One audited invocation attempt, allowed or not. {@code rule} names the rule that refused it
 * ({@code enabled}, {@code allowedAgentTypes}, {@code maxCallsPerRun}, {@code schema}, ...).
 */
public record AuditEntry(
        String id,
        String tenant,
        String toolId,
        String agentType,
        String agentId,
        String runId,
        String idempotencyKey,
        InvocationOutcome outcome,
        String rule,
        String detail,
        String invocationId,
        long durationMs,
        boolean replayed,
        Instant at) {}
