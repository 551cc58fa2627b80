package dev.devloop.agent.application;

import dev.devloop.agent.domain.Proposal;
import dev.devloop.agent.ports.in.ApprovalUseCase;
import dev.devloop.agent.ports.in.InvalidRunRequestException;
import dev.devloop.agent.ports.in.ProposalDecidedException;
import dev.devloop.agent.ports.in.UnknownProposalException;
import dev.devloop.agent.ports.out.ApprovalEventsPort;
import dev.devloop.agent.ports.out.ProposalRepositoryPort;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The operator's side of approve before write: a decision is a compare-and-set on the proposal (one
 * wins, a second is refused), is announced, is struck off its run's pending list, and — when nothing of
 * the run's step is left undecided — resumes the run on a worker (the one claim that wins).
 */
public final class ApprovalService implements ApprovalUseCase {
    /** Longest note or rejection reason kept. */
    public static final int MAX_TEXT_CHARS = 2_000;
    /** Longest {@code decidedBy} kept (a token subject). */
    static final int MAX_SUBJECT_CHARS = 256;

    private final ProposalRepositoryPort proposals;
    private final RunRepositoryPort runs;
    private final ApprovalEventsPort events;
    private final Clock clock;
    private final RunResumer resumer;

    /** Resumes a run whose proposals are all decided (the run service; the wiring hands in a lazy reference). */
    @FunctionalInterface
    public interface RunResumer {
        void resumeDecided(String tenant, String runId);
    }

    public ApprovalService(
            ProposalRepositoryPort proposals,
            RunRepositoryPort runs,
            ApprovalEventsPort events,
            Clock clock,
            RunResumer resumer) {
        this.resumer = resumer;
        this.proposals = proposals;
        this.runs = runs;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public List<Proposal> list(String tenant, Proposal.Status status, String runId, int limit) {
        return proposals.list(tenant, status, runId, limit);
    }

    @Override
    public Optional<Proposal> find(String tenant, String id) {
        return proposals.find(tenant, id);
    }

    @Override
    public Proposal approve(String tenant, String id, String decidedBy, String note) {
        bounded("note", note);
        return decide(tenant, id, Proposal.Status.APPROVED, decidedBy, note, null);
    }

    @Override
    public Proposal reject(String tenant, String id, String decidedBy, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidRunRequestException("reason", "a rejection needs a reason (the model reads it)");
        }
        bounded("reason", reason);
        return decide(tenant, id, Proposal.Status.REJECTED, decidedBy, null, reason.strip());
    }

    private Proposal decide(
            String tenant, String id, Proposal.Status decision, String decidedBy, String note, String reason) {
        String by = decidedBy == null || decidedBy.isBlank() ? null : decidedBy.strip();
        if (by != null && by.length() > MAX_SUBJECT_CHARS) {
            throw new InvalidRunRequestException(
                    "decidedBy", "the subject exceeds " + MAX_SUBJECT_CHARS + " characters");
        }
        Proposal decided = proposals
                .decide(tenant, id, decision, by, note, reason, clock.instant())
                .orElseThrow(() -> {
                    Proposal current = proposals
                            .find(tenant, id)
                            .orElseThrow(() -> new UnknownProposalException("no proposal '" + id + "'"));
                    return new ProposalDecidedException(
                            current.status().name(),
                            "proposal '" + id + "' was already "
                                    + current.status().name().toLowerCase()
                                    + (current.decidedBy() == null ? "" : " by " + current.decidedBy()));
                });
        events.decided(decided);
        settle(decided);
        return decided;
    }

    /** Strikes a decided proposal off its run and resumes the run when that left nothing pending. */
    private void settle(Proposal decided) {
        runs.approvalDecided(decided.tenant(), decided.runId(), decided.id());
        proposals.settled(decided.tenant(), decided.id());
        resumer.resumeDecided(decided.tenant(), decided.runId());
    }

    /**
     * A run ended (any terminal status, through its loop or not): its undecided proposals expire — a later
     * decision is refused (409 naming EXPIRED) — and each expiry is announced like a decision.
     */
    public void runEnded(dev.devloop.agent.domain.Run run) {
        for (Proposal expired : proposals.expirePending(
                run.tenant(), run.id(), "the run ended " + run.status() + " before a decision", clock.instant())) {
            events.decided(expired);
        }
    }

    /**
     * Recovery: decisions whose replica died before it struck them off their runs are struck off now, and
     * each run left with nothing pending is resumed (the claim is a compare-and-set: one resumer wins).
     */
    public int settleStranded(int max) {
        List<Proposal> stranded = proposals.decidedNotSettled(max);
        stranded.forEach(this::settle);
        return stranded.size();
    }

    private static void bounded(String field, String text) {
        if (text != null && text.length() > MAX_TEXT_CHARS) {
            throw new InvalidRunRequestException(field, field + " exceeds " + MAX_TEXT_CHARS + " characters");
        }
    }
}
