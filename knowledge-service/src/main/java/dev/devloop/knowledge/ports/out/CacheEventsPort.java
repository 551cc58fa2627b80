package dev.devloop.knowledge.ports.out;

import dev.devloop.knowledge.domain.CacheInvalidation;

/** Outgoing port announcing invalidations to every cache ({@code devloop.cache.invalidation}). */
public interface CacheEventsPort {
    /** Publishes asynchronously; a delivery failure is logged, it never fails the write that caused it. */
    void publish(CacheInvalidation invalidation);
}
