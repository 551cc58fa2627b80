package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.Proposal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Outgoing persistence port for approval proposals; every call but the pending count is scoped to one tenant. */
public interface ProposalRepositoryPort {
    /** Stores a new proposal; false when one with its id exists (a resumed run proposing again). */
    boolean insertIfAbsent(Proposal proposal);

    Optional<Proposal> find(String tenant, String id);

    /** The tenant's proposals matching every non-null criterion, newest first, at most {@code limit}. */
    List<Proposal> list(String tenant, Proposal.Status status, String runId, int limit);

    /**
     * Decides a PENDING proposal atomically (compare-and-set on its status) and returns it as decided;
     * empty when it is not pending (already decided) or the tenant has no such proposal. The decision is
     * left unsettled until {@link #settled} records that its run was told.
     */
    Optional<Proposal> decide(
            String tenant,
            String id,
            Proposal.Status decision,
            String decidedBy,
            String note,
            String reason,
            Instant at);

    /**
     * Expires every PENDING proposal of the run (it ended): status EXPIRED, {@code decidedAt} = {@code at},
     * {@code note} = {@code note}; returns the proposals it expired (each CAS'd, so a racing decision wins or loses whole).
     */
    default List<Proposal> expirePending(String tenant, String runId, String note, Instant at) {
        return List.of();
    }

    /**
     * Decided proposals whose run was not yet told (the deciding replica died between its decision and
     * striking it off the run), across tenants, oldest first, at most {@code max}.
     */
    default List<Proposal> decidedNotSettled(int max) {
        return List.of();
    }

    /** Records that the decided proposal was struck off its run (the recovery pass need not look at it again). */
    default void settled(String tenant, String id) {}

    /** Pending proposals across tenants (a gauge). */
    long countPending();
}
