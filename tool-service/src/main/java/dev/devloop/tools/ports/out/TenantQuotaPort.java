package dev.devloop.tools.ports.out;

import java.time.Instant;

/** Outgoing port counting a tenant's tool calls in the current minute and day windows, atomically. */
public interface TenantQuotaPort {
    /** The counts including this call. */
    record Usage(long minute, long day) {}

    /** Adds one call; {@link DownstreamException} when the counter store is unavailable. */
    Usage consume(String tenant, Instant now);
}
