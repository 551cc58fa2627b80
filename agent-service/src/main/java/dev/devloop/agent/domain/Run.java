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

    /** Whether a cancel was requested (the run may still be running until its loop reaches a step boundary). */
    public boolean cancelRequested() {
        return cancelReason != null;
    }

    /** The same run with a cancel requested for {@code reason}. */
    public Run withCancelRequest(String reason) {
        Copy copy = new Copy(this);
        copy.cancelReason = reason;
        return copy.run();
    }

    /** The same run recording the version of its agent definition it runs with. */
    public Run withDefinitionVersion(int version) {
        Copy copy = new Copy(this);
        copy.definitionVersion = version;
        return copy.run();
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
        Copy copy = new Copy(this);
        copy.status = RunStatus.AWAITING_APPROVAL;
        copy.steps = List.copyOf(allSteps);
        copy.usage = totalUsage;
        copy.result = null;
        copy.error = null;
        copy.updatedAt = now;
        copy.completedAt = null;
        copy.waitingFor = null;
        return copy.run();
    }

    public static Run start(String tenant, Agent agent, String input, String traceId, Instant now) {
        return started(ID_PREFIX + TimeOrderedIds.uuid(now), tenant, agent, input, traceId, null, now);
    }

    /**
     * A run for a task that arrived as an event: its id derives from the tenant and the event id, so a
     * redelivered event maps to the same run and is recognised as a duplicate.
     */
    public static Run forTask(String tenant, String taskId, Agent agent, String input, String traceId, Instant now) {
        return started(idForTask(tenant, taskId), tenant, agent, input, traceId, taskId, now);
    }

    private static Run started(
            String id, String tenant, Agent agent, String input, String traceId, String taskId, Instant now) {
        return new Run(
                id,
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
                taskId,
                null,
                0,
                null,
                0,
                0,
                null);
    }

    public static String idForTask(String tenant, String taskId) {
        return ID_PREFIX + UUID.nameUUIDFromBytes((tenant + "\u0000" + taskId).getBytes(StandardCharsets.UTF_8));
    }

    public Run finish(
            RunStatus terminal, String result, String error, TokenUsage totalUsage, List<Step> allSteps, Instant now) {
        if (!terminal.isTerminal()) {
            throw new IllegalArgumentException(terminal + " is not terminal");
        }
        Copy copy = new Copy(this);
        copy.status = terminal;
        copy.steps = List.copyOf(allSteps);
        copy.usage = totalUsage;
        copy.result = result;
        copy.error = error;
        copy.updatedAt = now;
        copy.completedAt = now;
        copy.waitingFor = null;
        return copy.run();
    }

    /** A run's components, to change a few of them and build the copy (the {@code with…} methods). */
    private static final class Copy {
        private String id;
        private String tenant;
        private String agentId;
        private String agentType;
        private String input;
        private RunStatus status;
        private List<Step> steps;
        private TokenUsage usage;
        private String result;
        private String error;
        private Instant createdAt;
        private Instant updatedAt;
        private Instant completedAt;
        private String traceId;
        private String taskId;
        private String cancelReason;
        private long approvalWaitMs;
        private Integer definitionVersion;
        private long pausedMs;
        private long outageWaitMs;
        private String waitingFor;

        private Copy(Run run) {
            id = run.id;
            tenant = run.tenant;
            agentId = run.agentId;
            agentType = run.agentType;
            input = run.input;
            status = run.status;
            steps = run.steps;
            usage = run.usage;
            result = run.result;
            error = run.error;
            createdAt = run.createdAt;
            updatedAt = run.updatedAt;
            completedAt = run.completedAt;
            traceId = run.traceId;
            taskId = run.taskId;
            cancelReason = run.cancelReason;
            approvalWaitMs = run.approvalWaitMs;
            definitionVersion = run.definitionVersion;
            pausedMs = run.pausedMs;
            outageWaitMs = run.outageWaitMs;
            waitingFor = run.waitingFor;
        }

        private Run run() {
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
                    definitionVersion,
                    pausedMs,
                    outageWaitMs,
                    waitingFor);
        }
    }
}
