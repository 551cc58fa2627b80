package dev.devloop.knowledge.ports.in;

import dev.devloop.knowledge.domain.CacheInvalidation;

/** Incoming port of the read cache: clearing it on request, and applying invalidations from other replicas. */
public interface CacheUseCase {
    /** Clears the named region of the tenant's cache, or every region when {@code region} is null. */
    CacheInvalidation clear(String tenant, String region);

    /** Applies an invalidation event; region bumps happen once per event id, key evictions are repeated safely. */
    boolean apply(CacheInvalidation invalidation);
}
