package dev.devloop.gateway.adapters.in.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifiedTokenCacheTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private VerifiedTokenCache<String> cache(int maxEntries, Duration ttl) {
        return new VerifiedTokenCache<>(maxEntries, ttl, nanos::get);
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void aTokenIsServedUntilTheTtlEnds() {
        VerifiedTokenCache<String> tokens = cache(10, Duration.ofSeconds(60));
        tokens.put("a.b.c", "alice", Instant.now().plusSeconds(3600));
        advance(Duration.ofSeconds(59));
        assertEquals("alice", tokens.get("a.b.c"));
        advance(Duration.ofSeconds(1));
        assertNull(tokens.get("a.b.c"));
    }

    @Test
    void neverPastTheTokensOwnExpiry() {
        VerifiedTokenCache<String> tokens = cache(10, Duration.ofSeconds(60));
        tokens.put("a.b.c", "alice", Instant.now().plusSeconds(5));
        advance(Duration.ofSeconds(3));
        assertEquals("alice", tokens.get("a.b.c"));
        advance(Duration.ofSeconds(3));
        assertNull(tokens.get("a.b.c"));
    }

    @Test
    void anAlreadyExpiredTokenIsNotRemembered() {
        VerifiedTokenCache<String> tokens = cache(10, Duration.ofSeconds(60));
        tokens.put("a.b.c", "alice", Instant.now().minusSeconds(1));
        assertNull(tokens.get("a.b.c"));
        assertEquals(0, tokens.size());
    }

    @Test
    void onlyTheIdenticalStringHits() {
        VerifiedTokenCache<String> tokens = cache(10, Duration.ofSeconds(60));
        tokens.put("a.b.c", "alice", null);
        assertNull(tokens.get("a.b.d"));
        assertNull(tokens.get("a.b.c "));
        assertEquals("alice", tokens.get("a.b.c"));
    }

    @Test
    void theMemoryIsBounded() {
        VerifiedTokenCache<String> tokens = cache(2, Duration.ofSeconds(60));
        for (int i = 0; i < 50; i++) {
            tokens.put("t" + i, "v" + i, null);
        }
        tokens.cleanUp();
        assertTrue(tokens.size() <= 2, "at most maxEntries kept, was " + tokens.size());
    }

    @Test
    void zeroEntriesOrZeroTtlDisablesTheMemory() {
        VerifiedTokenCache<String> none = cache(0, Duration.ofSeconds(60));
        none.put("a.b.c", "alice", null);
        assertNull(none.get("a.b.c"));
        VerifiedTokenCache<String> instant = cache(10, Duration.ZERO);
        instant.put("a.b.c", "alice", null);
        assertNull(instant.get("a.b.c"));
        assertThrows(IllegalArgumentException.class, () -> new VerifiedTokenCache<String>(-1, Duration.ofSeconds(1)));
    }
}
