package dev.devloop.tools.ports.out;

import dev.devloop.tools.ports.in.InvocationResult;
import java.time.Instant;
import java.util.Optional;

/**
 * Outgoing port for idempotent invocations. A claim is an insert guarded by a unique index on
 * (tenant, runId, idempotencyKey): exactly one concurrent caller wins it. A pending claim is leased to the invocation
 * holding it: renewed while its tool runs, it can be taken over once the lease lapsed (the holder crashed or lost the
 * store), so an abandoned key frees within a lease.
 */
public interface InvocationLedgerPort {
    /**
     * Inserts a pending claim held by {@code invocationId} until {@code leaseUntil}; returns empty when this caller
     * won it, or the entry that already holds the key.
     */
    Optional<LedgerEntry> claim(
            String tenant,
            String runId,
            String key,
            String toolId,
            String invocationId,
            Instant now,
            Instant leaseUntil);

    Optional<LedgerEntry> load(String tenant, String runId, String key);

    /** Extends the lease of a pending claim {@code holder} still holds; false when it no longer does. */
    boolean renew(String tenant, String runId, String key, String holder, Instant leaseUntil);

    /**
     * Takes over the pending claim exactly as {@code seen} (same holder and lease) for {@code invocationId}; true when
     * this caller got it.
     */
    boolean takeOver(
            String tenant,
            String runId,
            String key,
            LedgerEntry seen,
            String invocationId,
            Instant now,
            Instant leaseUntil);

    /** Records the result of a pending claim (the first result recorded for a key stays). */
    void complete(String tenant, String runId, String key, InvocationResult result);

    /** Drops the pending claim {@code holder} holds (its call was refused or met an outage), so a retry runs. */
    void release(String tenant, String runId, String key, String holder);
}
