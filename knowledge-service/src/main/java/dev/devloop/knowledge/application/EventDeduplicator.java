package dev.devloop.knowledge.application;

import dev.devloop.knowledge.ports.out.ProcessedEventsPort;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Applies an event at most once per consumer (by event id) and retries a bounded number of times while
 * a store is unavailable; the last failure propagates so the consumer can dead-letter the event.
 */
public class EventDeduplicator {
    private final ProcessedEventsPort processed;
    private final Clock clock;
    private final int maxAttempts;
    private final Duration backoff;

    public EventDeduplicator(ProcessedEventsPort processed, Clock clock, int maxAttempts, Duration backoff) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.processed = processed;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
    }

    /** Runs {@code work} unless the event was already applied; true when it ran now. */
    public boolean applyOnce(String consumer, String tenant, String eventId, Runnable work) {
        return retrying(
                () -> {
                    if (processed.isProcessed(consumer, tenant, eventId)) {
                        return false;
                    }
                    work.run();
                    processed.markProcessed(consumer, tenant, eventId, clock.instant());
                    return true;
                },
                consumer,
                eventId);
    }

    private <T> T retrying(Supplier<T> work, String consumer, String eventId) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (TierUnavailableException e) {
                if (attempt >= maxAttempts) {
                    throw e;
                }
                Log.warnf(
                        "event %s on %s: attempt %d of %d failed (%s); retrying",
                        eventId, consumer, attempt, maxAttempts, e.getMessage());
                pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
