package dev.devloop.gateway.domain;

/**
 * Tokens of a rate-limit window taken from the shared counter in one call: {@code granted} of them (0 when the
 * window is full) are already counted there, and {@code decision} is the counter's answer after counting them.
 */
public record RateLimitLease(int granted, RateLimitDecision decision) {
    public RateLimitLease {
        if (granted < 0) {
            throw new IllegalArgumentException("granted must not be negative");
        }
    }
}
