package dev.devloop.gateway.adapters.in.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The short SHA-256 of a list's filters that a cursor carries, with the hashes of recent filters kept (a hot list is
 * read with the same filters again and again; a digest per read was 1.8 % of the gateway's event-loop samples).
 */
final class FilterHashes {
    private final int max;
    private final Map<String, String> known = new ConcurrentHashMap<>();

    FilterHashes(int max) {
        this.max = max;
    }

    String of(String filters) {
        String hash = known.get(filters);
        if (hash != null) {
            return hash;
        }
        if (known.size() >= max) {
            known.clear(); // bounded: a burst of distinct filters only costs the digests again
        }
        hash = digest(filters);
        known.put(filters, hash);
        return hash;
    }

    private static String digest(String filters) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(filters.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
