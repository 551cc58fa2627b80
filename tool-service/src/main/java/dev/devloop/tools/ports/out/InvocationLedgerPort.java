package dev.devloop.tools.ports.out;

import dev.devloop.tools.ports.in.InvocationResult;
import java.time.Instant;
import java.util.Optional;

/**
 * Outgoing port for idempotent invocations. A claim is an insert guarded by a unique index on
 * (tenant, runId, idempotencyKey): exactly one concurrent caller wins it.
 */
public interface InvocationLedgerPort {
    /** Inserts a pending claim; returns empty when this caller won it, or the entry that already holds the key. */
    Optional<LedgerEntry> claim(
            String tenant, String runId, String key, String toolId, String invocationId, Instant now);

    Optional<LedgerEntry> load(String tenant, String runId, String key);

    /** Re-claims a pending entry still claimed at {@code claimedAt}; true when this caller took it over. */
    boolean takeOver(String tenant, String runId, String key, Instant claimedAt, String invocationId, Instant now);

    void complete(String tenant, String runId, String key, InvocationResult result);

    /** Drops a pending claim whose call was refused, so a corrected retry can run. */
    void release(String tenant, String runId, String key);
}
