package dev.devloop.tools.ports.out;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Outgoing port remembering the last restart of each service, shared by every replica. */
public interface RestartLedgerPort {
    /**
     * Atomically records a restart of {@code service} at {@code now} unless one was recorded within
     * {@code cooldown}; returns empty when recorded, or the time of the recent restart that blocks it.
     */
    Optional<Instant> acquire(String service, String tenant, String reason, Instant now, Duration cooldown);
}
