package dev.devloop.gateway.ports.out;

import dev.devloop.gateway.domain.RateLimitDecision;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** Outgoing port: an atomic sliding-window counter shared by every gateway instance. */
public interface RateLimitPort {

    /** Counts one request against the window of {@code tenant}/{@code subject}/{@code route} when there is room. */
    RateLimitDecision acquire(String tenant, String subject, String route, int limit, Duration window);

    /**
     * As {@link #acquire} without blocking the calling thread (the event-loop fast path); a counter that is
     * unavailable completes exceptionally with the same problem {@link #acquire} throws. The default answers
     * from {@link #acquire} (for in-memory counters, which never block).
     */
    default CompletionStage<RateLimitDecision> acquireAsync(
            String tenant, String subject, String route, int limit, Duration window) {
        try {
            return java.util.concurrent.CompletableFuture.completedFuture(
                    acquire(tenant, subject, route, limit, window));
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }
}
