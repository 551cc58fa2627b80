package dev.devloop.agent.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One task executed by one agent, with every step it took. */
public record Run(
        String id,
        String tenant,
        String agentId,
        String agentType,
        String input,
        RunStatus status,
        List<Step> steps,
        TokenUsage usage,
        String result,
        String error,
        Instant createdAt,
        Instant updatedAt,
        Instant completedAt,
        String traceId,
        String taskId,
        String cancelReason,
        long approvalWaitMs,
        Integer definitionVersion,
        long pausedMs,
        long outageWaitMs,
        String waitingFor) {

    public static final String ID_PREFIX = "run_";

    /** A run that never waited for a sibling service. */
    public Run(
            String id,
            String tenant,
            String agentId,
            String agentType,
            String input,
            RunStatus status,
            List<Step> steps,
            TokenUsage usage,
            String result,
            String error,
            Instant createdAt,
            Instant updatedAt,
            Instant completedAt,
            String traceId,
            String taskId,
            String cancelReason,
            long approvalWaitMs,
            Integer definitionVersion,
            long pausedMs) {
        this(
                id,
                tenant,
                agentId,
                agentType,
                input,
                status,
                steps,
                usage,
                result,
                error,
                createdAt,
                updatedAt,
                completedAt,
                traceId,
                taskId,
                cancelReason,
                approvalWaitMs,
                definitionVersion,
                pausedMs,
                0,
                null);
    }

    /** A run never taken over from a dead runner (no paused time). */
    public Run(
            String id,
            String tenant,
            String agentId,
            String agentType,
            String input,
            RunStatus status,
            List<Step> steps,
            TokenUsage usage,
            String result,
            String error,
            Instant createdAt,
            Instant updatedAt,
            Instant completedAt,
            String traceId,
            String taskId,
            String cancelReason,
            long approvalWaitMs,
            Integer definitionVersion) {
        this(
                id,
                tenant,
                agentId,
                agentType,
                input,
                status,
                steps,
                usage,
                result,
                error,
                createdAt,
                updatedAt,
                completedAt,
                traceId,
                taskId,
                cancelReason,
                approvalWaitMs,
                definitionVersion,
                0);
    }

    /** A run that never waited for an approval, its definition version not (yet) recorded. */
    public Run(
            String id,
            String tenant,
            String agentId,
            String agentType,
            String input,
            RunStatus status,
            List<Step> steps,
            TokenUsage usage,
            String result,
            String error,
            Instant createdAt,
            Instant updatedAt,
            Instant completedAt,
            String traceId,
            String taskId,
            String cancelReason) {
        this(
                id,
                tenant,
                agentId,
                agentType,
                input,
                status,
                steps,
                usage,
                result,
                error,
                createdAt,
                updatedAt,
                completedAt,
                traceId,
                taskId,
                cancelReason,
                0,
                null);
    }

    /** A run nobody asked to cancel. */
    public Run(
            String id,
            String tenant,
            String agentId,
            String agentType,
            String input,
            RunStatus status,
            List<Step> steps,
            TokenUsage usage,
            String result,
            String error,
            Instant createdAt,
            Instant updatedAt,
            Instant completedAt,
            String traceId,
            String taskId) {
        this(
                id,
                tenant,
                agentId,
                agentType,
                input,
                status,
                steps,
                usage,
                result,
                error,
                createdAt,
                updatedAt,
                completedAt,
                traceId,
                taskId,
                null);
    }

    /** Whether a cancel was requested (the run may still be running until its loop reaches a step boundary). */
    public boolean cancelRequested() {
        return cancelReason != null;
    }

    /** The same run with a cancel requested for {@code reason}. */
    public Run withCancelRequest(String reason) {
        return new Run(
                id,
                tenant,
                agentId,
                agentType,
                input,
                status,
                steps,
                usage,
                result,
                error,
                createdAt,
                updatedAt,
                completedAt,
                traceId,
                taskId,
                reason,
                approvalWaitMs,
                definitionVersion,
                pausedMs,
                outageWaitMs,
                waitingFor);
    }

    /** The same run recording the version of its agent definition it runs with. */
    public Run withDefinitionVersion(int version) {
        return new Run(
                id,
                tenant,
                agentId,
                agentType,
                input,
                status,
                steps,
                usage,
                result,
                error,
                createdAt,
                updatedAt,
                completedAt,
                traceId,
                taskId,
                cancelReason,
                approvalWaitMs,
                version,
                pausedMs,
                outageWaitMs,
                waitingFor);
    }

    /**
     * Time the run may spend on work: since it was created, less the time it waited for approvals, the time
     * nobody executed it (its runner had died; counted when another replica took it over) and the time it waited
     * for a sibling service that was away ({@code outageWaitMs}).
     */
    public java.time.Duration workingTime(Instant now) {
        return java.time.Duration.between(createdAt, now)
                .minusMillis(approvalWaitMs)
                .minusMillis(pausedMs)
                .minusMillis(outageWaitMs);
    }

    /** The run parked until an operator decides its pending proposals (not terminal: it resumes). */
    public Run awaitApproval(TokenUsage totalUsage, List<Step> allSteps, Instant now) {
        return new Run(
                id,
                tenant,
                agentId,
                agentType,
                input,
                RunStatus.AWAITING_APPROVAL,
                List.copyOf(allSteps),
                totalUsage,
                null,
                null,
                createdAt,
                now,
                null,
                traceId,
                taskId,
                cancelReason,
                approvalWaitMs,
                definitionVersion,
                pausedMs,
                outageWaitMs,
                null);
    }

    public static Run start(String tenant, Agent agent, String input, String traceId, Instant now) {
        return new Run(
                ID_PREFIX + UUID.randomUUID(),
                tenant,
                agent.id(),
                agent.type(),
                input,
                RunStatus.RUNNING,
                List.of(),
                TokenUsage.ZERO,
                null,
                null,
                now,
                now,
                null,
                traceId,
                null);
    }

    /**
     * A run for a task that arrived as an event: its id derives from the tenant and the event id, so a
     * redelivered event maps to the same run and is recognised as a duplicate.
     */
    public static Run forTask(String tenant, String taskId, Agent agent, String input, String traceId, Instant now) {
        return new Run(
                idForTask(tenant, taskId),
                tenant,
                agent.id(),
                agent.type(),
                input,
                RunStatus.RUNNING,
                List.of(),
                TokenUsage.ZERO,
                null,
                null,
                now,
                now,
                null,
                traceId,
                taskId);
    }

    public static String idForTask(String tenant, String taskId) {
        return ID_PREFIX + UUID.nameUUIDFromBytes((tenant + "\u0000" + taskId).getBytes(StandardCharsets.UTF_8));
    }

    public Run finish(
            RunStatus terminal, String result, String error, TokenUsage totalUsage, List<Step> allSteps, Instant now) {
        if (!terminal.isTerminal()) {
            throw new IllegalArgumentException(terminal + " is not terminal");
        }
        return new Run(
                id,
                tenant,
                agentId,
                agentType,
                input,
                terminal,
                List.copyOf(allSteps),
                totalUsage,
                result,
                error,
                createdAt,
                now,
                now,
                traceId,
                taskId,
                cancelReason,
                approvalWaitMs,
                definitionVersion,
                pausedMs,
                outageWaitMs,
                null);
    }
}
