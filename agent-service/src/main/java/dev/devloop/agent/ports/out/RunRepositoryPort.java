package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.Step;
import dev.devloop.agent.domain.TokenUsage;
import java.util.List;
import java.util.Optional;

/**
 * Outgoing persistence port for runs. Steps are appended one by one so progress survives a crash;
 * a running run holds a lease that each step renews, and runs whose lease lapsed can be claimed.
 */
public interface RunRepositoryPort {
    void create(Run run);

    /** Creates the run unless one with its id exists; false means it is a duplicate. */
    boolean createIfAbsent(Run run);

    /** Removes a run just created that was refused before it took any step (its agent had no free run slot). */
    default void discard(String tenant, String runId) {}

    /** Appends {@code step} at its index; idempotent (a step already stored at that index is not added again). */
    void appendStep(String tenant, String runId, Step step, TokenUsage totalUsage);

    /**
     * Appends like {@link #appendStep} and returns the run's pending cancel request as stored right after the
     * write, so the loop's next step-boundary check needs no read of its own. A store that can do both in one
     * round trip overrides this; the default appends, then reads.
     */
    default Optional<String> appendStepReadingCancel(String tenant, String runId, Step step, TokenUsage totalUsage) {
        appendStep(tenant, runId, step, totalUsage);
        return cancelRequested(tenant, runId);
    }

    void finish(Run run);

    /**
     * Appends {@code last} (the run's final answer, at its index) and ends the run as {@code finished} says, in one
     * write where the store can, so no crash falls between the two; the default appends, then finishes. Idempotent
     * like each of the two.
     */
    default void appendLastStepAndFinish(Run finished, Step last) {
        appendStep(finished.tenant(), finished.id(), last, finished.usage());
        finish(finished);
    }

    Optional<Run> find(String tenant, String runId);

    /**
     * Records a cancel request on a RUNNING run that has none yet (atomically, so every replica's loop
     * sees it), and returns the run as stored afterwards; empty when the tenant has no such run.
     */
    Optional<Run> requestCancel(String tenant, String runId, String reason);

    /** The reason of a pending cancel request of the run, if one was made (read at every step boundary). */
    default Optional<String> cancelRequested(String tenant, String runId) {
        return find(tenant, runId).map(Run::cancelReason);
    }

    /**
     * Renews the lease of a RUNNING run this replica executes, without a step (its loop is waiting on a
     * child run); a run that ended is left alone.
     */
    default void renewLease(String tenant, String runId) {}

    /**
     * Parks the run {@code AWAITING_APPROVAL} until {@code pendingProposalIds} are decided: no lease, no
     * owner, the moment it started waiting recorded (its waiting time is not charged to its time budget).
     */
    default void awaitApproval(Run parked, List<String> pendingProposalIds) {
        throw new UnsupportedOperationException("this run store cannot park runs awaiting approval");
    }

    /** Records that one of the run's pending proposals was decided. */
    default void approvalDecided(String tenant, String runId, String proposalId) {}

    /**
     * Atomically takes a run AWAITING_APPROVAL whose every proposal is decided back to RUNNING under this
     * replica's lease (adding the time it waited to its approval wait); empty when it is not such a run
     * or another caller took it first.
     */
    default Optional<Run> claimDecided(String tenant, String runId) {
        return Optional.empty();
    }

    /** The RUNNING runs of each of {@code agentIds} (agents with none are absent). */
    default java.util.Map<String, dev.devloop.agent.domain.InFlightRuns> inFlight(
            String tenant, java.util.Collection<String> agentIds) {
        return java.util.Map.of();
    }

    /**
     * Lets the lease of a RUNNING run this replica holds lapse at once (it stopped executing it at a step
     * boundary while shutting down), so another replica's recovery resumes it without waiting for the lease.
     */
    default void releaseLease(String tenant, String runId) {}

    /** Lets every lease this replica holds lapse at once (the end of a graceful shutdown); returns how many. */
    default int releaseAllLeases() {
        return 0;
    }

    /**
     * Shows on a RUNNING run this replica executes why it is waiting ({@code reason}: a sibling service it needs is
     * away), until {@link #waitEnded}. The run stays RUNNING and keeps its lease.
     */
    default void waitingFor(String tenant, String runId, String reason) {}

    /**
     * The wait {@link #waitingFor} showed is over: the reason is removed and {@code waitedMs} added to the run's
     * {@code outageWaitMs}, which is not charged to its time budget (also after a resume).
     */
    default void waitEnded(String tenant, String runId, long waitedMs) {}

    /**
     * Takes back a RUNNING run this replica still owns after its execution stopped on a store outage (its lease
     * renewed, never another replica's run); empty when the run ended or another replica took it over.
     */
    default Optional<Run> reclaimOwn(String tenant, String runId) {
        return find(tenant, runId).filter(r -> r.status() == dev.devloop.agent.domain.RunStatus.RUNNING);
    }

    /** Records the version of the agent definition a run executes with (once, at its first start). */
    default void recordDefinitionVersion(String tenant, String runId, int version) {}

    /**
     * Atomically takes over up to {@code max} running runs whose lease has lapsed (their runner died), and
     * runs awaiting approval whose proposals were all decided but that nobody resumed.
     */
    List<Run> claimAbandoned(int max);
}
