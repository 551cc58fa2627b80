package dev.devloop.knowledge.ports.out;

import dev.devloop.knowledge.domain.FactKey;
import dev.devloop.knowledge.domain.StoredFact;
import dev.devloop.knowledge.domain.Tier;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Outgoing port of one fact tier. Every method throws {@link TierUnavailableException} when the
 * store cannot be reached within its bound.
 */
public interface FactTierPort {
    /** The tier this store serves. */
    Tier tier();

    /** Inserts or replaces the fact with the same key. */
    void save(StoredFact fact);

    /** The fact with that key unless absent or expired at {@code now}. */
    Optional<StoredFact> find(FactKey key, Instant now);

    /** Removes the fact with that key; true when something was removed. */
    boolean delete(FactKey key);

    /** Up to {@code limit} unexpired facts of one entity of one tenant. */
    List<StoredFact> list(String tenant, String entity, Instant now, int limit);
}
