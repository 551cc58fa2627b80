package dev.devloop.tools.adapters.out.forge.github;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;

/**
 * The answers of conditional GETs, kept so that a {@code 304 Not Modified} can be served locally: key = tenant +
 * URL (tenants never share an entry). A Caffeine cache weighed in body bytes; each entry weighs at least
 * {@code maxBytes / maxEntries}, so both the byte and the entry bound hold.
 */
final class EtagCache {
    /** A cached answer: the validator, the body and the {@code Link} header (a 304 page still needs its next). */
    record Entry(String etag, byte[] body, Optional<String> link) {}

    private final long maxBytes;
    private final Cache<String, Entry> entries;

    EtagCache(int maxEntries, long maxBytes) {
        this.maxBytes = maxEntries == 0 ? 0 : maxBytes;
        long floor = maxEntries == 0 ? 1 : Math.max(1, maxBytes / maxEntries);
        this.entries = Caffeine.newBuilder()
                .maximumWeight(this.maxBytes)
                .weigher((String key, Entry entry) ->
                        (int) Math.min(Integer.MAX_VALUE, Math.max(floor, entry.body().length)))
                .executor(Runnable::run) // evict on the caller: the bound holds when put returns
                .build();
    }

    private static String key(String tenant, String url) {
        return tenant + '\n' + url;
    }

    Optional<Entry> get(String tenant, String url) {
        return Optional.ofNullable(entries.getIfPresent(key(tenant, url)));
    }

    void put(String tenant, String url, Entry entry) {
        if (entry.body().length > maxBytes) {
            entries.invalidate(key(tenant, url));
            return;
        }
        entries.put(key(tenant, url), entry);
        entries.cleanUp();
    }

    void remove(String tenant, String url) {
        entries.invalidate(key(tenant, url));
    }

    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    long bytes() {
        entries.cleanUp();
        return entries.asMap().values().stream().mapToLong(e -> e.body().length).sum();
    }
}
