package dev.devloop.agent.ports.in;

import dev.devloop.agent.domain.Proposal;
import java.util.List;
import java.util.Optional;

/** Incoming port: the proposals of approve-before-write runs and the operator's decisions. */
public interface ApprovalUseCase {
    /** The tenant's proposals, newest first, filtered by status and run when given, at most {@code limit}. */
    List<Proposal> list(String tenant, Proposal.Status status, String runId, int limit);

    Optional<Proposal> find(String tenant, String id);

    /**
     * Approves a pending proposal (compare-and-set) and resumes its run once every proposal of the step is
     * decided; {@link UnknownProposalException} when the tenant has none, {@link ProposalDecidedException}
     * when it was decided already.
     */
    Proposal approve(String tenant, String id, String decidedBy, String note);

    /** Rejects a pending proposal: the model reads {@code {"rejected": true, "reason": …}} as the call's result. */
    Proposal reject(String tenant, String id, String decidedBy, String reason);
}
