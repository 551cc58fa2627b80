package dev.devloop.knowledge.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.knowledge.domain.CacheInvalidation;
import dev.devloop.knowledge.domain.CacheKey;
import dev.devloop.knowledge.domain.CacheRegion;
import dev.devloop.knowledge.domain.Tier;
import dev.devloop.knowledge.ports.in.StoreFactCommand;
import dev.devloop.knowledge.ports.out.ReadCachePort;
import dev.devloop.knowledge.support.InMemoryReadCache;
import dev.devloop.knowledge.support.InMemoryTier;
import dev.devloop.knowledge.support.MutableClock;
import dev.devloop.knowledge.support.Problems;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The read-through protocol and invalidation rules, on in-memory ports. */
class ReadCacheUnitTest {
    private final InMemoryReadCache port = new InMemoryReadCache();
    private final List<CacheInvalidation> published = new ArrayList<>();
    private final ReadCache cache = new ReadCache(port, published::add, Duration.ofMinutes(5), Duration.ofDays(1));
    private final CacheKey key = new CacheKey("acme", CacheRegion.GRAPH, "entity", "svc");

    @Test
    void aReadIsLoadedOnceThenServedFromTheCache() {
        AtomicInteger loads = new AtomicInteger();
        assertThat(cache.read(key, String.class, () -> "v" + loads.incrementAndGet()))
                .isEqualTo("v1");
        assertThat(cache.read(key, String.class, () -> "v" + loads.incrementAndGet()))
                .isEqualTo("v1");
        assertThat(loads).hasValue(1);
        assertThat(port.hits).isEqualTo(1);
        assertThat(port.misses).isEqualTo(1);
    }

    @Test
    void aValueReadBeforeAnInvalidationIsNeverServedAfterIt() {
        // a reader misses, a writer invalidates while the reader is still loading, the reader then stores its value
        ReadCachePort.Lookup<String> miss = port.lookup(key, String.class);
        cache.invalidate("acme", Set.of(CacheRegion.GRAPH), List.of(), "write");
        port.put(miss, "stale", Duration.ofMinutes(5));
        assertThat(cache.read(key, String.class, () -> "fresh")).isEqualTo("fresh");
    }

    @Test
    void writesInvalidateSynchronouslyAndPublishTheSameInvalidation() {
        cache.read(key, String.class, () -> "v1");
        cache.invalidate("acme", Set.of(CacheRegion.GRAPH), List.of(), "entity upserted");
        assertThat(cache.read(key, String.class, () -> "v2")).isEqualTo("v2");
        assertThat(published).hasSize(1);
        assertThat(published.get(0).tenant()).isEqualTo("acme");
        assertThat(published.get(0).regions()).containsExactly(CacheRegion.GRAPH);
        // the publisher's own event, consumed back, bumps nothing more
        long generation = port.generation("acme", CacheRegion.GRAPH);
        assertThat(cache.apply(published.get(0))).isFalse();
        assertThat(port.generation("acme", CacheRegion.GRAPH)).isEqualTo(generation);
    }

    @Test
    void anEventIsAppliedOncePerIdButItsKeysAreEvictedEveryTime() {
        CacheKey fact = CacheKey.fact("acme", "web", "mode");
        cache.read(fact, String.class, () -> "v1");
        CacheInvalidation event =
                new CacheInvalidation("e-1", "acme", Set.of(CacheRegion.SEARCH), List.of(fact.path()), "x");
        assertThat(cache.apply(event)).isTrue();
        assertThat(port.generation("acme", CacheRegion.SEARCH)).isEqualTo(1);
        cache.read(fact, String.class, () -> "v2");
        assertThat(cache.apply(event)).isFalse();
        assertThat(port.generation("acme", CacheRegion.SEARCH)).isEqualTo(1);
        assertThat(cache.read(fact, String.class, () -> "v3")).isEqualTo("v3");
    }

    @Test
    void regionsAndTenantsAreIndependent() {
        CacheKey search = new CacheKey("acme", CacheRegion.SEARCH, "search", "q");
        CacheKey otherTenant = new CacheKey("globex", CacheRegion.GRAPH, "entity", "svc");
        cache.read(key, String.class, () -> "graph");
        cache.read(search, String.class, () -> "search");
        cache.read(otherTenant, String.class, () -> "globex");
        cache.invalidate("acme", Set.of(CacheRegion.GRAPH), List.of(), "write");
        assertThat(cache.read(key, String.class, () -> "graph2")).isEqualTo("graph2");
        assertThat(cache.read(search, String.class, () -> "search2")).isEqualTo("search");
        assertThat(cache.read(otherTenant, String.class, () -> "globex2")).isEqualTo("globex");
    }

    @Test
    void clearValidatesTheRegion() {
        assertThat(cache.clear("acme", null).regions()).containsExactlyInAnyOrder(CacheRegion.values());
        assertThat(cache.clear("acme", "facts").regions()).containsExactly(CacheRegion.FACTS);
        assertThatThrownBy(() -> cache.clear("acme", "everything"))
                .satisfies(e -> assertThat(Problems.of(e).field()).isEqualTo("region"));
        assertThatThrownBy(() -> cache.clear(" ", null))
                .satisfies(e -> assertThat(Problems.of(e).field()).isEqualTo("X-Devloop-Tenant"));
    }

    @Test
    void shortFactsAreNeverCachedAndAFactWriteEvictsItsEntries() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        InMemoryTier shortTier = new InMemoryTier(Tier.SHORT);
        InMemoryTier mediumTier = new InMemoryTier(Tier.MEDIUM);
        InMemoryTier longTier = new InMemoryTier(Tier.LONG);
        FactService facts = new FactService(
                shortTier, mediumTier, longTier, new FactLimits(64, 1024, 1_000_000, 100), clock, cache);
        facts.store(new StoreFactCommand("acme", "web", "load", "1", 30L));
        facts.get("acme", "web", "load");
        facts.get("acme", "web", "load");
        assertThat(port.hits)
                .as("short facts are read from Redis itself, never cached")
                .isZero();

        facts.store(new StoreFactCommand("acme", "web", "mode", "\"a\"", 600L));
        assertThat(facts.get("acme", "web", "mode").valueJson()).isEqualTo("\"a\"");
        assertThat(facts.get("acme", "web", "mode").valueJson()).isEqualTo("\"a\"");
        assertThat(port.hits).isEqualTo(1);
        facts.store(new StoreFactCommand("acme", "web", "mode", "\"b\"", null));
        assertThat(facts.get("acme", "web", "mode").valueJson())
                .as("the write evicted the fact")
                .isEqualTo("\"b\"");
        assertThat(published)
                .extracting(CacheInvalidation::keys)
                .contains(List.of("facts:fact:web:mode", "facts:facts:web"));
    }
}
