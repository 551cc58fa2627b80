package dev.devloop.gateway.domain;

import java.time.Duration;
import java.util.Map;

/** Requests allowed per window for each role; a caller gets the limit of its most privileged role. */
public record RateLimitPolicy(Map<String, Integer> perRole, int defaultLimit, Duration window) {
    public RateLimitPolicy {
        perRole = Map.copyOf(perRole);
        if (defaultLimit < 1 || perRole.values().stream().anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException("rate limits must be positive");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the rate-limit window must be positive");
        }
    }

    /** The limit that applies to {@code caller}. */
    public int limitFor(Caller caller) {
        String role = caller.highestRole();
        return role == null ? defaultLimit : perRole.getOrDefault(role, defaultLimit);
    }
}
