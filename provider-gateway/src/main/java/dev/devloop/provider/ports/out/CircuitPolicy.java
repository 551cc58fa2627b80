package dev.devloop.provider.ports.out;

import java.time.Duration;

/**
 * A provider's circuit breaker, for the one guard the caller runs around each of its calls: opens when
 * {@code failureRatio} of the last {@code requestVolumeThreshold} calls failed, stays open {@code delay} (also the
 * Retry-After while open), closes after {@code successThreshold} trial calls succeed.
 */
public record CircuitPolicy(
        String name, int requestVolumeThreshold, double failureRatio, Duration delay, int successThreshold) {

    /** The Retry-After sent while the circuit is open: its delay in whole seconds, at least 1. */
    public String retryAfterSeconds() {
        return retryAfterSeconds(delay);
    }

    /** The Retry-After for a circuit open {@code delay}: whole seconds, at least 1 (the one place that decides). */
    public static String retryAfterSeconds(Duration delay) {
        return String.valueOf(Math.max(1, delay.toSeconds()));
    }
}
