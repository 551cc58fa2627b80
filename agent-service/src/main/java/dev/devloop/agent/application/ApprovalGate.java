package dev.devloop.agent.application;

import dev.devloop.agent.domain.Proposal;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.ToolCallRecord;
import dev.devloop.agent.ports.out.ApprovalEventsPort;
import dev.devloop.agent.ports.out.ProposalRepositoryPort;
import java.time.Instant;
import java.util.Optional;

/**
 * Approve before write, as the loop sees it: the proposal of a held tool call — made once (its id
 * derives from run and call, so a resumed run finds it) and announced when made — and its decision.
 */
public final class ApprovalGate {
    /** No approvals: for loops without a proposal store (tests, benchmarks); a definition asking for them fails. */
    public static final ApprovalGate NONE = new ApprovalGate(null, ApprovalEventsPort.NONE);

    private final ProposalRepositoryPort proposals;
    private final ApprovalEventsPort events;

    public ApprovalGate(ProposalRepositoryPort proposals, ApprovalEventsPort events) {
        this.proposals = proposals;
        this.events = events;
    }

    /** The proposal of {@code call}, made now (and announced) unless an earlier attempt made it. */
    Proposal propose(Run run, ToolCallRecord call, String reasoning, Instant now) {
        if (proposals == null) {
            throw new IllegalStateException("this loop has no proposal store: approvals are not available");
        }
        Optional<Proposal> earlier = proposals.find(run.tenant(), Proposal.id(run.tenant(), run.id(), call.id()));
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Proposal fresh = Proposal.pending(run, call, reasoning, now);
        if (proposals.insertIfAbsent(fresh)) {
            events.requested(fresh);
            return fresh;
        }
        return proposals.find(run.tenant(), fresh.id()).orElse(fresh);
    }
}
