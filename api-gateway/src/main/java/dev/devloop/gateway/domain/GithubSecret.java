package dev.devloop.gateway.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A tenant's GitHub webhook secret; after a rotation the previous one still verifies until
 * {@code previousValidUntil}, so deliveries signed before the rotation are not lost.
 */
public record GithubSecret(
        String tenant, String current, String previous, Instant previousValidUntil, Instant updatedAt) {

    /** The secrets a delivery may be signed with at {@code now}. */
    public List<String> accepted(Instant now) {
        if (previous != null && previousValidUntil != null && now.isBefore(previousValidUntil)) {
            return List.of(current, previous);
        }
        return List.of(current);
    }

    /** This secret replaced by {@code next} at {@code now}; re-setting the same secret changes nothing. */
    public GithubSecret rotatedTo(String next, Instant now, Duration grace) {
        if (next.equals(current)) {
            return this;
        }
        return new GithubSecret(tenant, next, current, now.plus(grace), now);
    }

    /** A tenant's first secret. */
    public static GithubSecret first(String tenant, String secret, Instant now) {
        return new GithubSecret(tenant, secret, null, null, now);
    }

    @Override
    public String toString() {
        return "GithubSecret[tenant=" + tenant + ", updatedAt=" + updatedAt + "]";
    }
}
