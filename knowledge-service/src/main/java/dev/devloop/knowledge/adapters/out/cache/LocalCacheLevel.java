package dev.devloop.knowledge.adapters.out.cache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The in-process level of the read cache, one per replica: a least-recently-used map bounded by entry count and
 * by bytes (the size of each entry's JSON), each entry living at most {@code ttl}. It never decides alone whether
 * an entry is still valid: each entry carries the region generation and the eviction stamp it was read under,
 * and {@link RedisReadCache} serves it only when Redis still holds both (one small {@code MGET}). Values are the
 * immutable records the use cases return, shared by the callers that hit them.
 */
final class LocalCacheLevel {
    /** One entry: the value and the stamps it was read under. */
    record Entry(Object value, long generation, long evictions, long bytes, long expiresAtNanos) {}

    private final int maxEntries;
    private final long maxBytes;
    private final long ttlNanos;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    LocalCacheLevel(int maxEntries, long maxBytes, long ttlNanos, LongSupplier clock) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.ttlNanos = ttlNanos;
        this.clock = clock;
    }

    /** The live entry of {@code key}, or null (an expired one is dropped). */
    synchronized Entry get(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (e.expiresAtNanos() - clock.getAsLong() <= 0) {
            remove(key);
            return null;
        }
        return e;
    }

    /** Stores an entry for at most {@code min(ttl, maxTtlNanos)}; an entry larger than the byte bound is not kept. */
    synchronized void put(String key, Object value, long generation, long evictions, long size, long maxTtlNanos) {
        if (size > maxBytes || maxEntries <= 0) {
            return;
        }
        remove(key);
        long life = Math.min(ttlNanos, maxTtlNanos);
        if (life <= 0) {
            return;
        }
        entries.put(key, new Entry(value, generation, evictions, size, clock.getAsLong() + life));
        bytes += size;
        Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
        while ((entries.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
            bytes -= eldest.next().getValue().bytes();
            eldest.remove();
        }
    }

    synchronized void remove(String key) {
        Entry e = entries.remove(key);
        if (e != null) {
            bytes -= e.bytes();
        }
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized long bytes() {
        return bytes;
    }
}
