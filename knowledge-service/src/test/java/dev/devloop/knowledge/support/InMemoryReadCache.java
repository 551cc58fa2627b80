package dev.devloop.knowledge.support;

import dev.devloop.knowledge.domain.CacheKey;
import dev.devloop.knowledge.domain.CacheRegion;
import dev.devloop.knowledge.ports.out.ReadCachePort;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The read cache port in memory, with the same generation protocol as the Redis adapter (TTL not modelled). */
public class InMemoryReadCache implements ReadCachePort {
    private record Stamped(long generation, Object value) {}

    private final Map<String, Stamped> entries = new HashMap<>();
    private final Map<String, Long> generations = new HashMap<>();
    private final Set<String> claimed = new HashSet<>();
    public int hits;
    public int misses;

    @Override
    public synchronized <T> Lookup<T> lookup(CacheKey key, Class<T> type) {
        long generation = generations.getOrDefault(key.tenant() + "|" + key.region(), 0L);
        Stamped stamped = entries.get(key.tenant() + "|" + key.path());
        if (stamped != null && stamped.generation() == generation) {
            hits++;
            return new Lookup<>(key, generation, type.cast(stamped.value()));
        }
        misses++;
        return new Lookup<>(key, generation, null);
    }

    @Override
    public synchronized <T> void put(Lookup<T> miss, T value, Duration ttl) {
        entries.put(miss.key().tenant() + "|" + miss.key().path(), new Stamped(miss.generation(), value));
    }

    @Override
    public synchronized long evict(String tenant, List<String> paths) {
        return paths.stream()
                .filter(p -> entries.remove(tenant + "|" + p) != null)
                .count();
    }

    @Override
    public synchronized void bump(String tenant, Set<CacheRegion> regions) {
        regions.forEach(r -> generations.merge(tenant + "|" + r, 1L, Long::sum));
    }

    @Override
    public synchronized boolean claim(String invalidationId, Duration retention) {
        return claimed.add(invalidationId);
    }

    public synchronized long generation(String tenant, CacheRegion region) {
        return generations.getOrDefault(tenant + "|" + region, 0L);
    }
}
