package dev.devloop.gateway.domain;

/**
 * The outcome of one rate-limit check.
 *
 * @param allowed whether the request may proceed
 * @param limit requests allowed per window
 * @param remaining requests left in the current window
 * @param resetSeconds seconds until the window has room again (at least 1)
 */
public record RateLimitDecision(boolean allowed, int limit, int remaining, long resetSeconds) {
    public RateLimitDecision {
        remaining = Math.max(0, remaining);
        resetSeconds = Math.max(1, resetSeconds);
    }
}
