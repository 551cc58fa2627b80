package dev.devloop.knowledge.ports.out;

import dev.devloop.knowledge.domain.CacheKey;
import dev.devloop.knowledge.domain.CacheRegion;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Outgoing port of the shared read cache. Entries are stamped with their region's generation as seen
 * <em>before</em> the underlying read, so a result computed from data older than an invalidation can
 * never be served after it. A cache failure is a miss (reads) or a logged no-op (writes), never an error.
 */
public interface ReadCachePort {

    /** The cached value, or a miss carrying the generation to stamp the freshly read value with. */
    <T> Lookup<T> lookup(CacheKey key, Class<T> type);

    /** Caches {@code value} under the missed key, stamped with the generation of the lookup. */
    <T> void put(Lookup<T> miss, T value, Duration ttl);

    /** Drops single entries of one tenant (paths as {@link CacheKey#path()}); returns how many existed. */
    long evict(String tenant, List<String> paths);

    /** Invalidates whole regions of one tenant at once (bumps their generations). */
    void bump(String tenant, Set<CacheRegion> regions);

    /** True the first time an invalidation id is claimed within {@code retention}; false for a repeat. */
    boolean claim(String invalidationId, Duration retention);

    /**
     * The result of a lookup: a hit ({@code value} non-null) or a miss with the generation (and the region's
     * key-eviction stamp) observed; {@code generation} is negative when the cache could not be read (then
     * nothing is stored).
     */
    record Lookup<T>(CacheKey key, long generation, long evictions, T value) {
        /** A lookup without an eviction stamp (caches without a local level). */
        public Lookup(CacheKey key, long generation, T value) {
            this(key, generation, 0, value);
        }

        public boolean hit() {
            return value != null;
        }
    }
}
