package dev.devloop.gateway.adapters.in.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.time.Instant;

/**
 * Tokens whose signature and claims were verified a moment ago, so the same bearer token is not verified again on
 * every request (RSA verification and claim parsing were a third of the gateway's CPU per request). A Caffeine cache
 * keyed by the whole token string: only byte-identical tokens hit. An entry lives until the earlier of the token's
 * own expiry and {@code ttl} after its verification, so a key withdrawn from the JWKS stops being honoured within
 * {@code ttl}; at most {@code maxEntries} are kept (Caffeine's size eviction).
 */
final class VerifiedTokenCache<T> {
    private record Entry<T>(T value, long untilNanos) {}

    private final Cache<String, Entry<T>> entries;
    private final Ticker ticker;
    private final Duration ttl;
    private final boolean disabled;

    VerifiedTokenCache(int maxEntries, Duration ttl) {
        this(maxEntries, ttl, Ticker.systemTicker());
    }

    VerifiedTokenCache(int maxEntries, Duration ttl, Ticker ticker) {
        if (maxEntries < 0 || ttl.isNegative()) {
            throw new IllegalArgumentException("maxEntries and ttl must not be negative");
        }
        this.ticker = ticker;
        this.ttl = ttl;
        this.disabled = maxEntries == 0 || ttl.isZero();
        this.entries = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .ticker(ticker)
                .executor(Runnable::run) // maintenance on the caller: no pool thread per eviction
                .expireAfter(new Expiry<String, Entry<T>>() {
                    @Override
                    public long expireAfterCreate(String key, Entry<T> entry, long now) {
                        return Math.max(0, entry.untilNanos() - now);
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry<T> entry, long now, long current) {
                        return expireAfterCreate(key, entry, now);
                    }

                    @Override
                    public long expireAfterRead(String key, Entry<T> entry, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    /** The verified value of {@code token}, or null when it is unknown or no longer to be trusted. */
    T get(String token) {
        Entry<T> entry = entries.getIfPresent(token);
        return entry == null ? null : entry.value();
    }

    /** Remembers a freshly verified token; {@code expiresAt} is its {@code exp} claim (null: no expiry claim). */
    void put(String token, T value, Instant expiresAt) {
        if (disabled) {
            return;
        }
        long now = ticker.read();
        long until = now + ttl.toNanos();
        if (expiresAt != null) {
            long untilExpiry = now + Duration.between(Instant.now(), expiresAt).toNanos();
            until = Math.min(until, untilExpiry);
        }
        if (until <= now) {
            return;
        }
        entries.put(token, new Entry<>(value, until));
    }

    long size() {
        return entries.estimatedSize();
    }

    void cleanUp() {
        entries.cleanUp();
    }
}
