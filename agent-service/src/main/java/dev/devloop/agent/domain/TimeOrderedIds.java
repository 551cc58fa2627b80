package dev.devloop.agent.domain;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * RFC 9562 version 7 UUIDs: 48 bits of Unix milliseconds, then 74 random bits. Unique and not secret; ids made later
 * sort after earlier ones, so a store's {@code _id} B-tree takes a new document at its right edge and a run's writes
 * stay on the few pages of recent runs, where random version 4 ids touched a random page per insert. The layout of
 * contracts' {@code dev.devloop.contracts.ids.TimeOrderedIds}, which the domain does not see (plain Java only).
 */
public final class TimeOrderedIds {
    private TimeOrderedIds() {}

    public static String uuid(Instant at) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (at.toEpochMilli() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}
