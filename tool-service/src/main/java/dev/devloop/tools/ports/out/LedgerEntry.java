package dev.devloop.tools.ports.out;

import dev.devloop.tools.ports.in.InvocationResult;
import java.time.Instant;

/**
 * The idempotency record of one (tenant, run, key): pending while running, then the result. A pending claim belongs
 * to {@code holder} (the invocation running it) until {@code leaseUntil}, which the holder renews while its tool
 * runs; {@code leaseUntil} is null on a claim written before leases existed.
 */
public record LedgerEntry(
        String invocationId,
        String toolId,
        Instant claimedAt,
        String holder,
        Instant leaseUntil,
        InvocationResult result) {
    public boolean done() {
        return result != null;
    }
}
