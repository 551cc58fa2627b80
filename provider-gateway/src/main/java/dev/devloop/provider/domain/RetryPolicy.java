package dev.devloop.provider.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When to retry a failed provider call and how long to wait: only retryable failures (429, 5xx,
 * timeout, connection), at most {@code maxRetries} times, with exponential back-off randomised
 * between half and all of {@code baseDelay * 2^attempt} (capped at {@code maxDelay}). A
 * {@code Retry-After} is respected when it is at most {@code maxRetryAfter}; a longer one is not
 * waited for, so the failure goes back to the caller (or to the next provider of a fallback chain).
 */
public record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {

    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0");
        }
    }

    /**
     * The wait before retry number {@code attempt + 1}, or empty when the failure must not be retried.
     *
     * @param attempt 0 for the first failure
     * @param random a number in [0, 1) for the jitter
     */
    public Optional<Duration> delay(int attempt, ProviderFailure failure, double random, Instant now) {
        if (!failure.kind().retryable() || attempt >= maxRetries) {
            return Optional.empty();
        }
        Optional<Duration> retryAfter = failure.retryAfter().flatMap(v -> parseRetryAfter(v, now));
        if (retryAfter.isPresent()) {
            Duration d = retryAfter.get();
            return d.compareTo(maxRetryAfter) <= 0 ? Optional.of(d) : Optional.empty();
        }
        if (failure.retryAfter().isPresent()) {
            return Optional.empty(); // an unreadable Retry-After: do not guess, pass it on
        }
        long base = baseDelay.toMillis() << Math.min(attempt, 20);
        long capped = Math.min(base, maxDelay.toMillis());
        long jittered = capped / 2 + (long) (random * (capped - capped / 2));
        return Optional.of(Duration.ofMillis(Math.max(0, jittered)));
    }

    /** Parses a Retry-After value: delta seconds or an HTTP date; empty when it is neither. */
    public static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }
}
