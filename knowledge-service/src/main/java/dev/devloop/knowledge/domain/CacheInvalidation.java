package dev.devloop.knowledge.domain;

import java.util.List;
import java.util.Set;

/**
 * What one write (or an operator) invalidates in one tenant's read cache: whole {@code regions} and single
 * {@code keys} (paths as {@link CacheKey#path()}). {@code id} is the event id that makes applying it idempotent.
 */
public record CacheInvalidation(String id, String tenant, Set<CacheRegion> regions, List<String> keys, String reason) {

    public CacheInvalidation {
        regions = Set.copyOf(regions);
        keys = List.copyOf(keys);
    }
}
