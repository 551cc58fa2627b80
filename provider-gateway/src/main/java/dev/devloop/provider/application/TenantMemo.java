package dev.devloop.provider.application;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A per-replica memo of one store read per tenant, fresh for {@code ttl}. Once stale, exactly one caller reloads
 * while every other caller keeps the stale value (for at most {@code 4 × ttl} past its expiry): before, each expiry
 * sent every concurrent call of the tenant to the store at once, and on a busy box those reads timed out together.
 * At most {@code max} tenants (emptied when full).
 */
final class TenantMemo<T> {
    private record Entry<T>(T value, long expires, AtomicBoolean reloading) {}

    private final long ttlNanos;
    private final long staleNanos;
    private final int max;
    private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();

    TenantMemo(long ttlNanos, int max) {
        this.ttlNanos = ttlNanos;
        this.staleNanos = ttlNanos * 4;
        this.max = max;
    }

    /**
     * The value to use at {@code now}: fresh, or stale while another caller reloads; null when this caller must read
     * the store (nothing memoised, too stale, or its turn to reload) and then {@link #remember} or {@link #forget}.
     */
    T lookup(String tenant, long now) {
        Entry<T> e = entries.get(tenant);
        if (e == null) {
            return null;
        }
        if (now - e.expires() < 0) {
            return e.value();
        }
        if (now - e.expires() < staleNanos && !e.reloading().compareAndSet(false, true)) {
            return e.value();
        }
        return null;
    }

    void remember(String tenant, T value, long now) {
        if (ttlNanos <= 0) {
            return;
        }
        if (entries.size() >= max && !entries.containsKey(tenant)) {
            entries.clear(); // bounded: at worst every tenant reads the store once more
        }
        entries.put(tenant, new Entry<>(value, now + ttlNanos, new AtomicBoolean()));
    }

    void forget(String tenant) {
        entries.remove(tenant);
    }
}
