package dev.devloop.tools.ports.out;

import dev.devloop.tools.ports.in.InvocationResult;
import java.time.Instant;

/** The idempotency record of one (tenant, run, key): pending while running, then the result. */
public record LedgerEntry(String invocationId, String toolId, Instant claimedAt, InvocationResult result) {
    public boolean done() {
        return result != null;
    }
}
