package dev.devloop.knowledge.ports.out;

import dev.devloop.knowledge.domain.Tier;
import java.time.Instant;

/** Outgoing port of a tier whose store does not expire facts by itself and needs sweeping. */
public interface ExpiredFactsPort {
    /** The tier this store serves. */
    Tier tier();

    /** Deletes up to {@code limit} facts that expired at or before {@code now}; returns how many. */
    int deleteExpired(Instant now, int limit);
}
