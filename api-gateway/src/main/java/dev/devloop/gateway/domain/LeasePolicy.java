package dev.devloop.gateway.domain;

import java.time.Duration;

/**
 * How many tokens one call to the shared counter takes for a client: a {@code share} of its limit, at most
 * {@code maxTokens}, and 1 (no lease: every request asks the counter) below that. A lease is spent locally for at
 * most {@code ttl}; unspent tokens then lapse, still counted in the window, so a lease can only make the limit
 * stricter, never looser: the shared window never admits more than the limit, and a client loses at most one lease
 * per instance per {@code ttl}. {@code maxKeys} bounds the clients holding a lease at once.
 */
public record LeasePolicy(int maxTokens, double share, Duration ttl, int maxKeys) {
    public static final LeasePolicy NONE = new LeasePolicy(1, 0, Duration.ofSeconds(1), 0);

    public LeasePolicy {
        if (maxTokens < 1 || share < 0 || share > 1 || ttl.isNegative() || ttl.isZero() || maxKeys < 0) {
            throw new IllegalArgumentException("lease: max-tokens >= 1, share in [0,1], ttl > 0, max-keys >= 0");
        }
    }

    /** Tokens to take per call for a client whose window allows {@code limit} requests (1: no lease). */
    public int tokensFor(int limit) {
        return (int) Math.max(1, Math.min(maxTokens, Math.floor(limit * share)));
    }
}
