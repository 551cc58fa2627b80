package dev.devloop.knowledge.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A fact as held by one tier: its value as JSON text, the tier, when it expires ({@code null} for
 * never) and when it was written.
 */
public record StoredFact(FactKey key, String valueJson, Tier tier, Instant expiresAt, Instant updatedAt) {
    public StoredFact {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(valueJson, "valueJson");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** True when the fact has an expiry that is not after {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }
}
