package dev.devloop.gateway.domain;

import java.time.Duration;

/** Bounded exponential back-off for webhook deliveries: {@code initial * 2^(attempt-1)}, capped. */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff");
        }
    }

    /** True when an attempt numbered {@code attempt} failed and another may follow. */
    public boolean mayRetryAfter(int attempt) {
        return attempt < maxAttempts;
    }

    /** The wait after failed attempt {@code attempt} (1-based). */
    public Duration backoffAfter(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long millis = initialBackoff.toMillis() << shift;
        return millis < 0 || millis > maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(millis);
    }
}
