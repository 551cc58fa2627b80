package dev.devloop.knowledge.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.knowledge.domain.CacheInvalidation;
import dev.devloop.knowledge.domain.CacheKey;
import dev.devloop.knowledge.domain.CacheRegion;
import dev.devloop.knowledge.ports.in.CacheUseCase;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.out.CacheEventsPort;
import dev.devloop.knowledge.ports.out.ReadCachePort;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Read-through cache of hot reads and its invalidation. A write invalidates synchronously (so the next read
 * of the writer sees it) and publishes the same invalidation on {@code devloop.cache.invalidation}; every
 * replica applies it again: key evictions are repeated (that also drops an entry a concurrent reader stored
 * from data read just before the write), region bumps happen once per invalidation id.
 */
public class ReadCache implements CacheUseCase {
    private static final Logger LOG = Logger.getLogger(ReadCache.class);

    private final ReadCachePort port;
    private final CacheEventsPort events;
    private final Duration ttl;
    private final Duration dedupRetention;

    public ReadCache(ReadCachePort port, CacheEventsPort events, Duration ttl, Duration dedupRetention) {
        this.port = port;
        this.events = events;
        this.ttl = ttl;
        this.dedupRetention = dedupRetention;
    }

    /** A cache that stores nothing and announces nothing (cache disabled, plain unit tests). */
    public static ReadCache disabled() {
        return new ReadCache(null, null, Duration.ZERO, Duration.ZERO);
    }

    public boolean enabled() {
        return port != null;
    }

    /** The cached value of {@code key}, or the loader's, cached for the configured TTL. */
    public <T> T read(CacheKey key, Class<T> type, Supplier<T> loader) {
        return read(key, type, loader, value -> ttl);
    }

    /**
     * The cached value of {@code key}, or the loader's, cached for {@code min(ttl, ttlOf(value))}; a
     * non-positive TTL is not cached. Loader failures propagate and cache nothing.
     */
    public <T> T read(CacheKey key, Class<T> type, Supplier<T> loader, Function<T, Duration> ttlOf) {
        if (port == null) {
            return loader.get();
        }
        ReadCachePort.Lookup<T> lookup = port.lookup(key, type);
        if (lookup.hit()) {
            return lookup.value();
        }
        T value = loader.get();
        if (value != null && lookup.generation() >= 0) {
            Duration wanted = ttlOf.apply(value);
            Duration effective = wanted == null || wanted.compareTo(ttl) > 0 ? ttl : wanted;
            if (effective.toMillis() >= 1000) {
                port.put(lookup, value, effective);
            }
        }
        return value;
    }

    /** Invalidates after a write: synchronously here, then announced to every replica and cache. */
    public void invalidate(String tenant, Set<CacheRegion> regions, List<CacheKey> keys, String reason) {
        if (port == null) {
            return;
        }
        CacheInvalidation invalidation = new CacheInvalidation(
                UUID.randomUUID().toString(),
                tenant,
                regions,
                keys.stream().map(CacheKey::path).toList(),
                reason);
        applyLocally(invalidation, true);
        events.publish(invalidation);
    }

    @Override
    public CacheInvalidation clear(String tenant, String region) {
        String checkedTenant = KnowledgeTenants.checked(tenant);
        Set<CacheRegion> regions;
        if (region == null) {
            regions = EnumSet.allOf(CacheRegion.class);
        } else {
            regions = EnumSet.of(CacheRegion.parse(region)
                    .orElseThrow(() -> KnowledgeRefusal.invalid("region", "region must be facts, graph or search")));
        }
        CacheInvalidation invalidation = new CacheInvalidation(
                UUID.randomUUID().toString(), checkedTenant, regions, List.of(), "cleared on request");
        if (port != null) {
            applyLocally(invalidation, true);
            events.publish(invalidation);
        }
        LogFields.of("tenant", checkedTenant, "regions", regions, "invalidationId", invalidation.id())
                .info(LOG, "cache cleared");
        return invalidation;
    }

    @Override
    public boolean apply(CacheInvalidation invalidation) {
        if (port == null) {
            return false;
        }
        return applyLocally(invalidation, false);
    }

    /** Evicts the keys (always: repeating it is harmless) and bumps the regions once per invalidation id. */
    private boolean applyLocally(CacheInvalidation invalidation, boolean origin) {
        if (!invalidation.keys().isEmpty()) {
            port.evict(invalidation.tenant(), invalidation.keys());
        }
        boolean first = port.claim(invalidation.id(), dedupRetention);
        if (first && !invalidation.regions().isEmpty()) {
            port.bump(invalidation.tenant(), invalidation.regions());
        }
        if (!origin) {
            LogFields.of(
                            "tenant",
                            invalidation.tenant(),
                            "invalidationId",
                            invalidation.id(),
                            "regions",
                            invalidation.regions(),
                            "keys",
                            invalidation.keys().size(),
                            "first",
                            first)
                    .info(LOG, "cache invalidation applied");
        }
        return first;
    }
}
