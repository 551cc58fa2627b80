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
@RegisterForReflection(targets = {CachedViews.Facts.class, CachedViews.Hits.class, CachedViews.Entities.class,
    StoredFact.class, FactKey.class, EntityDetails.class, EntityDetails.Relation.class, Entity.class,
    Neighbourhood.class, Neighbourhood.Neighbour.class, Relationship.class, SearchHit.class, ScoredEntity.class})
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

  public RedisReadCache(RedisDataSource redis, ObjectMapper json, MeterRegistry registry, KnowledgeConfig config) {
    this.redis = redis;
    this.values = redis.value(String.class, String.class);
    this.keys = redis.key(String.class);
    this.json = json;
    this.registry = registry;
    this.maxEntryBytes = config.cache().maxEntryBytes();
    this.generationRetentionSeconds = Math.max(1, config.cache().generationRetention().toSeconds());
  }

  @Override
  public <T> Lookup<T> lookup(CacheKey key, Class<T> type) {
    String genKey = generationKey(key.tenant(), key.region());
    String entryKey = entryKey(key.tenant(), key.path());
    Map<String, String> found;
    try {
      found = values.mget(genKey, entryKey);
    } catch (RuntimeException e) {
      failed("lookup", e);
      count("devloop.knowledge.cache.misses", key.kind());
      return new Lookup<>(key, -1, null);
    }
    long generation = parseGeneration(found.get(genKey));
    String stored = found.get(entryKey);
    if (stored != null) {
      try {
        JsonNode node = json.readTree(stored);
        if (node.path("g").asLong(-1) == generation && node.has("v")) {
          T value = json.treeToValue(node.get("v"), type);
          count("devloop.knowledge.cache.hits", key.kind());
          return new Lookup<>(key, generation, value);
        }
      } catch (Exception e) {
        Log.debugf(e, "unreadable cache entry %s dropped", entryKey);
      }
    }
    count("devloop.knowledge.cache.misses", key.kind());
    return new Lookup<>(key, generation, null);
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
        count("devloop.knowledge.cache.oversize", miss.key().kind());
        return;
      }
      values.psetex(entryKey(miss.key().tenant(), miss.key().path()), ttl.toMillis(), text);
    } catch (Exception e) {
      failed("put", e);
    }
  }

  @Override
  public long evict(String tenant, List<String> paths) {
    if (paths.isEmpty()) {
      return 0;
    }
    try {
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
      Response reply = redis.execute("SET", PREFIX + "invalidation:" + invalidationId, "1", "NX", "EX",
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
        .tag("operation", operation).register(registry)).increment();
  }

  private void count(String name, String kind) {
    counters.computeIfAbsent(name + "|" + kind, k -> Counter.builder(name)
        .description("Read cache lookups by outcome, per cached read")
        .tag("cache", kind).register(registry)).increment();
  }
}
