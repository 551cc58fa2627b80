package dev.devloop.knowledge.adapters.out.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.knowledge.application.ReadCache;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.domain.CacheKey;
import dev.devloop.knowledge.domain.CacheRegion;
import dev.devloop.knowledge.domain.Entity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas' caches, each with its own in-process level, sharing the real Redis: a value is served from a
 * replica's local level only while Redis still holds the stamps it was read under, so a write through one
 * replica is never followed by the other serving the old value from its memory.
 */
@QuarkusTest
class TwoReplicaReadCacheTest {
    @Inject
    RedisDataSource redis;

    @Inject
    ObjectMapper json;

    @Inject
    KnowledgeConfig config;

    private final MeterRegistry metricsA = new SimpleMeterRegistry();
    private final MeterRegistry metricsB = new SimpleMeterRegistry();
    private final AtomicReference<String> store = new AtomicReference<>("v1");
    private final AtomicInteger loadsB = new AtomicInteger();
    private ReadCache a;
    private ReadCache b;
    private String tenant;

    @BeforeEach
    void replicas() {
        tenant = "t-" + UUID.randomUUID();
        a = replica(metricsA);
        b = replica(metricsB);
    }

    private ReadCache replica(MeterRegistry metrics) {
        LocalCacheLevel local =
                new LocalCacheLevel(100, 1 << 20, Duration.ofMinutes(1).toNanos(), System::nanoTime);
        return new ReadCache(
                new RedisReadCache(redis, json, metrics, config, local),
                invalidation -> {},
                Duration.ofMinutes(5),
                Duration.ofDays(1));
    }

    private Entity load() {
        return new Entity(tenant, "svc", "service", "{\"v\":\"" + store.get() + "\"}", Instant.EPOCH);
    }

    private String readA(CacheKey key) {
        return a.read(key, Entity.class, this::load).propertiesJson();
    }

    private String readB(CacheKey key) {
        return b.read(key, Entity.class, () -> {
                    loadsB.incrementAndGet();
                    return load();
                })
                .propertiesJson();
    }

    private static double hits(MeterRegistry metrics, String level) {
        return metrics.find("devloop.knowledge.cache.hits").tag("level", level).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    @Test
    void aRegionWriteThroughOneReplicaInvalidatesTheOthersLocalCopy() {
        CacheKey key = new CacheKey(tenant, CacheRegion.GRAPH, "entity", "svc");
        assertThat(readA(key)).contains("v1");
        assertThat(readB(key)).contains("v1");
        assertThat(hits(metricsB, "redis"))
                .as("B's first read comes from Redis")
                .isEqualTo(1);
        assertThat(readB(key)).contains("v1");
        assertThat(hits(metricsB, "local")).as("then from B's memory").isEqualTo(1);
        assertThat(loadsB).hasValue(0);

        store.set("v2");
        a.invalidate(tenant, Set.of(CacheRegion.GRAPH), List.of(), "entity upserted");
        assertThat(readB(key)).as("B's local copy is refused after A's write").contains("v2");
        assertThat(loadsB).hasValue(1);
        assertThat(hits(metricsB, "local")).isEqualTo(1);
        assertThat(readB(key)).contains("v2");
        assertThat(hits(metricsB, "local"))
                .as("the new value is cached locally again")
                .isEqualTo(2);
        assertThat(readA(key)).contains("v2");
    }

    @Test
    void aKeyEvictionThroughOneReplicaInvalidatesTheOthersLocalCopy() {
        CacheKey fact = CacheKey.fact(tenant, "web-1", "load");
        CacheKey other = CacheKey.fact(tenant, "web-2", "load");
        assertThat(readA(fact)).contains("v1");
        readB(fact);
        readB(other);
        assertThat(readB(fact)).contains("v1");
        assertThat(hits(metricsB, "local")).isEqualTo(1);

        store.set("v2");
        a.invalidate(tenant, Set.of(), List.of(fact), "fact stored");
        assertThat(readB(fact)).as("evicted by A: B refuses its local copy").contains("v2");
        assertThat(redis.value(String.class).get("kc:" + tenant + ":ev:facts")).isEqualTo("1");
        // the stamp is per region: B's local copy of another fact is refused too, and re-read from Redis, where that
        // fact's entry was not evicted (the store changed behind the cache's back here, so it is still the old value)
        double fromRedis = hits(metricsB, "redis");
        assertThat(readB(other)).contains("v1");
        assertThat(hits(metricsB, "redis")).isEqualTo(fromRedis + 1);
    }

    @Test
    void anotherTenantsWriteLeavesTheLocalCopyValid() {
        CacheKey key = new CacheKey(tenant, CacheRegion.GRAPH, "entity", "svc");
        readA(key);
        readB(key);
        a.invalidate("other-" + tenant, Set.of(CacheRegion.GRAPH), List.of(), "entity upserted");
        store.set("v2");
        assertThat(readB(key)).contains("v1");
        assertThat(hits(metricsB, "local")).isEqualTo(1);
    }
}
