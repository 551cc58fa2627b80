package dev.devloop.contracts.ids;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * RFC 9562 version 7 UUIDs for documents a service inserts at its request rate (usage records, tool invocations and
 * their audit entries): 48 bits of Unix milliseconds, then 74 random bits. Unique and not secret, so from
 * ThreadLocalRandom rather than {@link UUID#randomUUID()}'s SecureRandom (whose lock every worker thread contends
 * for). Ids made later sort after earlier ones, as strings too, so a store's {@code _id} B-tree takes each insert at
 * its right edge; random version 4 ids dirtied a random page of it per insert (the local MongoDB stand-in spent 3-4x
 * the CPU per usage record on them, docs/scaling.md stop 36).
 */
public final class TimeOrderedIds {
    private TimeOrderedIds() {}

    public static String uuid() {
        return uuid(System.currentTimeMillis(), ThreadLocalRandom.current());
    }

    public static String uuid(long epochMillis, RandomGenerator random) {
        long most = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}
