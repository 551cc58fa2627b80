package dev.devloop.gateway.ports.in;

import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.GrantRecord;
import java.util.List;

/** Incoming port: producer grants for a tenant's own Kafka producers — issued, listed, revoked (issue #17). */
public interface EventGrantsUseCase {
    /**
     * A grant for the caller's tenant on {@code topic} (null: {@code devloop.agent.tasks}) for {@code ttlSeconds}
     * (null: the default), recorded until it expires; a topic that takes no grants or a lifetime out of bounds is a
     * {@link Refusal} naming {@code topic} or {@code ttlSeconds}.
     */
    EventGrant issue(Caller caller, String topic, Long ttlSeconds);

    /** A page of the caller's tenant's live grants (revoked ones included, marked), soonest expiry first. */
    Page list(Caller caller, String cursor, Integer limit);

    /**
     * Revokes grant {@code id} of the caller's tenant: publishes the revocation (acknowledged by Kafka, else a
     * {@link Refusal.Reason#UNAVAILABLE} refusal) and marks the record; an unknown id or another tenant's grant is
     * {@link Refusal.Reason#NOT_FOUND}. Revoking a revoked grant publishes nothing new.
     */
    Revocation revoke(Caller caller, String id);

    /** Grants of one page and the cursor of the next (null: the last page). */
    record Page(List<GrantRecord> items, String nextCursor) {}

    /** The record after a revoke; {@code published} false when it was revoked before. */
    record Revocation(GrantRecord record, boolean published) {}
}
