package dev.devloop.knowledge.adapters.out.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.knowledge.application.CachedViews;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.domain.CacheKey;
import dev.devloop.knowledge.domain.CacheRegion;
import dev.devloop.knowledge.domain.Entity;
import dev.devloop.knowledge.domain.EntityDetails;
import dev.devloop.knowledge.domain.FactKey;
import dev.devloop.knowledge.domain.Neighbourhood;
import dev.devloop.knowledge.domain.Relationship;
import dev.devloop.knowledge.domain.ScoredEntity;
import dev.devloop.knowledge.domain.SearchHit;
import dev.devloop.knowledge.domain.StoredFact;
import dev.devloop.knowledge.ports.out.ReadCachePort;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The read cache in Redis, shared by every replica. Entries live under {@code kc:{tenant}:{region}:{kind}:{name}}
 * as {@code {"g": generation, "v": value}} with a TTL; a region's generation is {@code kc:{tenant}:gen:{region}}
 * (absent = 0, kept for {@code generation-retention} after its last bump). A lookup is one {@code MGET} of the
 * generation and the entry: an entry stamped with another generation is a miss. Invalidation ids are claimed
 * with {@code SET kc:invalidation:{id} NX EX}. Every failure is counted and treated as a miss or a no-op.
 */
@ApplicationScoped
@RegisterForReflection(
        targets = {
            CachedViews.Facts.class,
            CachedViews.Hits.class,
            CachedViews.Entities.class,
            StoredFact.class,
            FactKey.class,
            EntityDetails.class,
            EntityDetails.Relation.class,
            Entity.class,
            Neighbourhood.class,
            Neighbourhood.Neighbour.class,
            Relationship.class,
            SearchHit.class,
            ScoredEntity.class
        })
public class RedisReadCache implements ReadCachePort {
    static final String PREFIX = "kc:";

    private final ValueCommands<String, String> values;
    private final KeyCommands<String> keys;
    private final RedisDataSource redis;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final int maxEntryBytes;
    private final long generationRetentionSeconds;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** The in-process level, null when disabled. */
    private final LocalCacheLevel local;

    @jakarta.inject.Inject
    public RedisReadCache(RedisDataSource redis, ObjectMapper json, MeterRegistry registry, KnowledgeConfig config) {
        this(
                redis,
                json,
                registry,
                config,
                config.cache().local().enabled()
                        ? new LocalCacheLevel(
                                config.cache().local().maxEntries(),
                                config.cache().local().maxBytes(),
                                config.cache().local().ttl().toNanos(),
                                System::nanoTime)
                        : null);
        if (local != null) {
            io.micrometer.core.instrument.Gauge.builder(
                            "devloop.knowledge.cache.local.entries", local, LocalCacheLevel::size)
                    .description("Entries held by this replica's in-process cache level")
                    .register(registry);
            io.micrometer.core.instrument.Gauge.builder(
                            "devloop.knowledge.cache.local.bytes", local, LocalCacheLevel::bytes)
                    .description("Bytes (of JSON) held by this replica's in-process cache level")
                    .baseUnit("bytes")
                    .register(registry);
        }
    }

    /** A cache with its own in-process level (null: none), e.g. a second "replica" in a test. */
    RedisReadCache(
            RedisDataSource redis,
            ObjectMapper json,
            MeterRegistry registry,
            KnowledgeConfig config,
            LocalCacheLevel local) {
        this.local = local;
        this.redis = redis;
        this.values = redis.value(String.class, String.class);
        this.keys = redis.key(String.class);
        this.json = json;
        this.registry = registry;
        this.maxEntryBytes = config.cache().maxEntryBytes();
        this.generationRetentionSeconds =
                Math.max(1, config.cache().generationRetention().toSeconds());
    }

    /**
     * With the local level: a local entry is served only if Redis still holds the generation and eviction stamp it
     * was read under (one {@code MGET} of two small keys, instead of the value); otherwise, and without a local entry,
     * one {@code MGET} of generation, stamp and entry. A Redis failure is a miss: a local entry is never served
     * unchecked.
     */
    @Override
    public <T> Lookup<T> lookup(CacheKey key, Class<T> type) {
        String genKey = generationKey(key.tenant(), key.region());
        String evKey = evictionKey(key.tenant(), key.region());
        String entryKey = entryKey(key.tenant(), key.path());
        LocalCacheLevel.Entry near = local == null ? null : local.get(entryKey);
        if (near != null) {
            Map<String, String> stamps;
            try {
                stamps = values.mget(genKey, evKey);
            } catch (RuntimeException e) {
                failed("lookup", e);
                count("devloop.knowledge.cache.misses", key.kind(), null);
                return new Lookup<>(key, -1, null);
            }
            long generation = parseGeneration(stamps.get(genKey));
            long evictions = parseGeneration(stamps.get(evKey));
            if (near.generation() == generation && near.evictions() == evictions && type.isInstance(near.value())) {
                count("devloop.knowledge.cache.hits", key.kind(), "local");
                return new Lookup<>(key, generation, evictions, type.cast(near.value()));
            }
            local.remove(entryKey);
        }
        Map<String, String> found;
        try {
            found = values.mget(genKey, evKey, entryKey);
        } catch (RuntimeException e) {
            failed("lookup", e);
            count("devloop.knowledge.cache.misses", key.kind(), null);
            return new Lookup<>(key, -1, null);
        }
        long generation = parseGeneration(found.get(genKey));
        long evictions = parseGeneration(found.get(evKey));
        String stored = found.get(entryKey);
        if (stored != null) {
            try {
                JsonNode node = json.readTree(stored);
                if (node.path("g").asLong(-1) == generation && node.has("v")) {
                    T value = json.treeToValue(node.get("v"), type);
                    count("devloop.knowledge.cache.hits", key.kind(), "redis");
                    if (local != null) {
                        // a cached fact must not outlive its own expiry (its Redis TTL); other entries are only kept
                        // short
                        long life = Long.MAX_VALUE;
                        if (key.region() == CacheRegion.FACTS) {
                            long pttl = keys.pttl(entryKey);
                            life = pttl > 0 ? pttl * 1_000_000L : 0;
                        }
                        local.put(entryKey, value, generation, evictions, stored.length(), life);
                    }
                    return new Lookup<>(key, generation, evictions, value);
                }
            } catch (Exception e) {
                Log.debugf(e, "unreadable cache entry %s dropped", entryKey);
            }
        }
        count("devloop.knowledge.cache.misses", key.kind(), null);
        return new Lookup<>(key, generation, evictions, null);
    }

    @Override
    public <T> void put(Lookup<T> miss, T value, Duration ttl) {
        if (miss.generation() < 0 || ttl.toMillis() < 1) {
            return;
        }
        try {
            ObjectNode node = json.createObjectNode();
            node.put("g", miss.generation());
            node.set("v", json.valueToTree(value));
            String text = json.writeValueAsString(node);
            if (text.getBytes(StandardCharsets.UTF_8).length > maxEntryBytes) {
                count("devloop.knowledge.cache.oversize", miss.key().kind(), null);
                return;
            }
            String entryKey = entryKey(miss.key().tenant(), miss.key().path());
            values.psetex(entryKey, ttl.toMillis(), text);
            if (local != null) {
                local.put(entryKey, value, miss.generation(), miss.evictions(), text.length(), ttl.toNanos());
            }
        } catch (Exception e) {
            failed("put", e);
        }
    }

    @Override
    public long evict(String tenant, List<String> paths) {
        if (paths.isEmpty()) {
            return 0;
        }
        if (local != null) {
            paths.forEach(p -> local.remove(entryKey(tenant, p)));
        }
        try {
            // the stamp first: another replica's local copy is invalid from now on, even before the entry is gone
            for (String region : paths.stream()
                    .map(p -> p.substring(0, Math.max(0, p.indexOf(':'))))
                    .distinct()
                    .toList()) {
                String ev = PREFIX + tenant + ":ev:" + region;
                values.incr(ev);
                keys.expire(ev, generationRetentionSeconds);
            }
            return keys.del(paths.stream().map(p -> entryKey(tenant, p)).toArray(String[]::new));
        } catch (RuntimeException e) {
            failed("evict", e);
            return 0;
        }
    }

    @Override
    public void bump(String tenant, Set<CacheRegion> regions) {
        for (CacheRegion region : regions) {
            String key = generationKey(tenant, region);
            try {
                values.incr(key);
                keys.expire(key, generationRetentionSeconds);
            } catch (RuntimeException e) {
                failed("bump", e);
            }
        }
    }

    @Override
    public boolean claim(String invalidationId, Duration retention) {
        try {
            Response reply = redis.execute(
                    "SET",
                    PREFIX + "invalidation:" + invalidationId,
                    "1",
                    "NX",
                    "EX",
                    Long.toString(Math.max(1, retention.toSeconds())));
            return reply != null && "OK".equals(reply.toString());
        } catch (RuntimeException e) {
            // applying twice only costs extra misses; not applying could serve stale reads
            failed("claim", e);
            return true;
        }
    }

    static String entryKey(String tenant, String path) {
        return PREFIX + tenant + ":" + path;
    }

    /** The region's key-eviction stamp: bumped by every key eviction, so local copies of evicted keys are refused. */
    static String evictionKey(String tenant, CacheRegion region) {
        return PREFIX + tenant + ":ev:" + region.wireName();
    }

    static String generationKey(String tenant, CacheRegion region) {
        return PREFIX + tenant + ":gen:" + region.wireName();
    }

    private static long parseGeneration(String text) {
        if (text == null) {
            return 0;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void failed(String operation, Exception e) {
        Log.debugf(e, "redis read cache %s failed", operation);
        counters.computeIfAbsent("errors|" + operation, k -> Counter.builder("devloop.knowledge.cache.errors")
                        .description("Read cache calls that failed (treated as misses or no-ops)")
                        .tag("operation", operation)
                        .register(registry))
                .increment();
    }

    /** Counts a lookup; hits carry the level that answered ({@code local} or {@code redis}). */
    private void count(String name, String kind, String level) {
        counters.computeIfAbsent(name + "|" + kind + "|" + level, k -> {
                    Counter.Builder b = Counter.builder(name)
                            .description("Read cache lookups by outcome, per cached read"
                                    + (level == null ? "" : " and level"))
                            .tag("cache", kind);
                    return (level == null ? b : b.tag("level", level)).register(registry);
                })
                .increment();
    }
}
