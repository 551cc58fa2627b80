package dev.devloop.agent.support;

import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.domain.Step;
import dev.devloop.agent.domain.TokenUsage;
import java.time.Instant;
import java.util.List;

/** Runs as a runner that died left them, for the tests of resuming: RUNNING with some steps, nothing ended. */
public final class InterruptedRuns {
    /** {@code run} (its id, tenant, agent and input) with these steps and times, no task, no cancel, no waits. */
    public static Run interrupted(
            Run run, List<Step> steps, TokenUsage usage, Instant createdAt, Instant updatedAt, String traceId) {
        return interrupted(run, steps, usage, createdAt, updatedAt, traceId, 0);
    }

    /** As above, with {@code pausedMs} of time nobody executed it already counted. */
    public static Run interrupted(
            Run run,
            List<Step> steps,
            TokenUsage usage,
            Instant createdAt,
            Instant updatedAt,
            String traceId,
            long pausedMs) {
        return new Run(
                run.id(),
                run.tenant(),
                run.agentId(),
                run.agentType(),
                run.input(),
                RunStatus.RUNNING,
                steps,
                usage,
                null,
                null,
                createdAt,
                updatedAt,
                null,
                traceId,
                null,
                null,
                0,
                null,
                pausedMs,
                0,
                null);
    }

    private InterruptedRuns() {}
}
