package dev.devloop.gateway.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tokens whose signature and claims were verified a moment ago, so the same bearer token is not verified
 * again on every request (RSA verification and claim parsing were a third of the gateway's CPU per
 * request). The key is the whole token string: only byte-identical tokens hit. An entry is served until
 * the earlier of the token's own expiry and {@code ttl} after its verification, so a key withdrawn from
 * the JWKS stops being honoured within {@code ttl}. Bounded: when full, expired entries are swept and, if
 * that frees nothing, the new token is simply not remembered.
 */
public final class VerifiedTokens<T> {
    private record Entry<T>(T value, Instant until) {}

    private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final Duration ttl;
    private final AtomicLong nextSweep = new AtomicLong();

    public VerifiedTokens(int maxEntries, Duration ttl) {
        if (maxEntries < 0 || ttl.isNegative()) {
            throw new IllegalArgumentException("maxEntries and ttl must not be negative");
        }
        this.maxEntries = maxEntries;
        this.ttl = ttl;
    }

    /** The verified value of {@code token}, or null when it is unknown or no longer to be trusted at {@code now}. */
    public T get(String token, Instant now) {
        Entry<T> entry = entries.get(token);
        if (entry == null) {
            return null;
        }
        if (!now.isBefore(entry.until())) {
            entries.remove(token, entry);
            return null;
        }
        return entry.value();
    }

    /** Remembers a freshly verified token; {@code expiresAt} is its {@code exp} claim (null: no expiry claim). */
    public void put(String token, T value, Instant expiresAt, Instant now) {
        if (maxEntries == 0 || ttl.isZero()) {
            return;
        }
        Instant until = now.plus(ttl);
        if (expiresAt != null && expiresAt.isBefore(until)) {
            until = expiresAt;
        }
        if (!now.isBefore(until)) {
            return;
        }
        if (entries.size() >= maxEntries && !entries.containsKey(token)) {
            sweep(now);
            if (entries.size() >= maxEntries) {
                return;
            }
        }
        entries.put(token, new Entry<>(value, until));
    }

    public int size() {
        return entries.size();
    }

    /** Drops expired entries, at most once a second however many callers find the cache full. */
    private void sweep(Instant now) {
        long last = nextSweep.get();
        if (now.toEpochMilli() < last || !nextSweep.compareAndSet(last, now.toEpochMilli() + 1000)) {
            return;
        }
        for (Iterator<Entry<T>> it = entries.values().iterator(); it.hasNext(); ) {
            if (!now.isBefore(it.next().until())) {
                it.remove();
            }
        }
    }
}
