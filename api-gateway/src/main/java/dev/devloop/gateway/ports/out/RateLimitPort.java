package dev.devloop.gateway.ports.out;

import dev.devloop.gateway.domain.RateLimitDecision;
import dev.devloop.gateway.domain.RateLimitLease;
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

    /**
     * Counts up to {@code tokens} requests at once against the window (as many as it has room for, none when it is
     * full) without blocking the calling thread; fails as {@link #acquireAsync}. The default counts them one by one
     * with {@link #acquire} (for in-memory counters).
     */
    default CompletionStage<RateLimitLease> leaseAsync(
            String tenant, String subject, String route, int limit, Duration window, int tokens) {
        try {
            int granted = 0;
            RateLimitDecision last = null;
            while (granted < tokens) {
                last = acquire(tenant, subject, route, limit, window);
                if (!last.allowed()) {
                    break;
                }
                granted++;
            }
            RateLimitDecision decision =
                    granted > 0 ? new RateLimitDecision(true, limit, last.remaining(), last.resetSeconds()) : last;
            return java.util.concurrent.CompletableFuture.completedFuture(new RateLimitLease(granted, decision));
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }
}
