package dev.devloop.provider.application;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A per-replica memo of one store read per tenant, fresh for {@code ttl}. Once stale, exactly one caller reloads
 * while every other caller keeps the stale value (for at most {@code 4 × ttl} past its expiry): before, each expiry
 * sent every concurrent call of the tenant to the store at once, and on a busy box those reads timed out together.
 * At most {@code max} tenants (emptied when full). With a background executor ({@link #get}) the reload runs there and
 * its caller gets the stale value too: at one connection the reloading caller was every call in turn, and each memo
 * expiry stalled the only client for the store's read (up to its 2 s timeout; JFR, 2026-12-05, stop 22).
 */
final class TenantMemo<T> {
    private record Entry<T>(T value, long expires, AtomicBoolean reloading) {}

    private final long ttlNanos;
    private final long staleNanos;
    private final int max;
    private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<T>> firstReads = new ConcurrentHashMap<>();
    private Executor background;

    TenantMemo(long ttlNanos, int max) {
        this.ttlNanos = ttlNanos;
        this.staleNanos = ttlNanos * 4;
        this.max = max;
    }

    /** The memo of a settings service: fresh for {@code ttl}, stale entries reloaded on {@code reloads} (null: by the caller). */
    static <T> TenantMemo<T> of(Duration ttl, int max, Executor reloads) {
        return new TenantMemo<T>(ttl.toNanos(), max).withBackground(reloads);
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

    /** Reloads of stale entries run on {@code executor} (null: on the caller, as {@link #lookup} says). */
    TenantMemo<T> withBackground(Executor executor) {
        this.background = executor;
        return this;
    }

    /**
     * The value at {@code clock}'s now: fresh or stale from the memo, else {@code load}ed (and remembered). A stale
     * entry's reload runs on the background executor when there is one (this caller keeps the stale value, like the
     * others); only a tenant with nothing memoised (or too stale) waits for the store, and then its concurrent callers
     * share one read: at a load point's start every connection read MongoDB at once (45 reads of 0.5–1.7 s, stop 22).
     * {@code load} must not throw.
     */
    T get(String tenant, LongSupplier clock, Function<String, T> load) {
        long now = clock.getAsLong();
        T value = lookup(tenant, now);
        if (value != null) {
            return value;
        }
        Entry<T> stale = entries.get(tenant);
        if (background != null && stale != null && stale.reloading().get() && now - stale.expires() < staleNanos) {
            try {
                background.execute(() -> {
                    try {
                        remember(tenant, load.apply(tenant), clock.getAsLong());
                    } catch (RuntimeException e) {
                        forget(tenant); // the next caller reads the store itself
                    }
                });
                return stale.value();
            } catch (RejectedExecutionException full) {
                // the background queue is full: this caller reloads, as without an executor
            }
        }
        if (ttlNanos <= 0) {
            return load.apply(tenant);
        }
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> running = firstReads.putIfAbsent(tenant, mine);
        if (running != null) {
            return running.join(); // bounded by the store's own timeout, like the read it shares
        }
        try {
            value = load.apply(tenant);
            remember(tenant, value, now);
            mine.complete(value);
            return value;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            firstReads.remove(tenant, mine);
        }
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
