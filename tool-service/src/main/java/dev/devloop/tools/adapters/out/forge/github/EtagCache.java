package dev.devloop.tools.adapters.out.forge.github;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The answers of conditional GETs, kept so that a {@code 304 Not Modified} can be served locally: key = tenant +
 * URL (tenants never share an entry), bounded by entries and by body bytes, least recently used evicted first.
 * A small LRU rather than Caffeine: Caffeine is not on tool-service's class path (no quarkus-cache), and one
 * synchronized {@link LinkedHashMap} is plenty for a few thousand entries behind network calls.
 */
final class EtagCache {
    /** A cached answer: the validator, the body and the {@code Link} header (a 304 page still needs its next). */
    record Entry(String etag, byte[] body, Optional<String> link) {}

    private final int maxEntries;
    private final long maxBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    EtagCache(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    private static String key(String tenant, String url) {
        return tenant + '\n' + url;
    }

    synchronized Optional<Entry> get(String tenant, String url) {
        return Optional.ofNullable(entries.get(key(tenant, url)));
    }

    synchronized void put(String tenant, String url, Entry entry) {
        String key = key(tenant, url);
        Entry old = entries.remove(key);
        if (old != null) {
            bytes -= old.body().length;
        }
        if (maxEntries == 0 || entry.body().length > maxBytes) {
            return;
        }
        entries.put(key, entry);
        bytes += entry.body().length;
        Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
        while ((entries.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
            bytes -= eldest.next().getValue().body().length;
            eldest.remove();
        }
    }

    synchronized void remove(String tenant, String url) {
        Entry old = entries.remove(key(tenant, url));
        if (old != null) {
            bytes -= old.body().length;
        }
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized long bytes() {
        return bytes;
    }
}
