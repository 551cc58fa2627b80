package dev.devloop.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {
    private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

    @Test
    void aTokenIsServedUntilTheTtlEnds() {
        VerifiedTokens<String> tokens = new VerifiedTokens<>(10, Duration.ofSeconds(60));
        tokens.put("a.b.c", "alice", T0.plusSeconds(3600), T0);
        assertEquals("alice", tokens.get("a.b.c", T0.plusSeconds(59)));
        assertNull(tokens.get("a.b.c", T0.plusSeconds(60)));
        assertEquals(0, tokens.size(), "an expired entry is dropped when met");
    }

    @Test
    void neverPastTheTokensOwnExpiry() {
        VerifiedTokens<String> tokens = new VerifiedTokens<>(10, Duration.ofSeconds(60));
        tokens.put("a.b.c", "alice", T0.plusSeconds(5), T0);
        assertEquals("alice", tokens.get("a.b.c", T0.plusSeconds(4)));
        assertNull(tokens.get("a.b.c", T0.plusSeconds(5)));
    }

    @Test
    void anAlreadyExpiredTokenIsNotRemembered() {
        VerifiedTokens<String> tokens = new VerifiedTokens<>(10, Duration.ofSeconds(60));
        tokens.put("a.b.c", "alice", T0.minusSeconds(1), T0);
        assertNull(tokens.get("a.b.c", T0));
        assertEquals(0, tokens.size());
    }

    @Test
    void onlyTheIdenticalStringHits() {
        VerifiedTokens<String> tokens = new VerifiedTokens<>(10, Duration.ofSeconds(60));
        tokens.put("a.b.c", "alice", null, T0);
        assertNull(tokens.get("a.b.d", T0));
        assertNull(tokens.get("a.b.c ", T0));
        assertEquals("alice", tokens.get("a.b.c", T0));
    }

    @Test
    void whenFullExpiredEntriesMakeRoomAndLiveOnesAreKept() {
        VerifiedTokens<String> tokens = new VerifiedTokens<>(2, Duration.ofSeconds(60));
        tokens.put("t1", "1", T0.plusSeconds(10), T0);
        tokens.put("t2", "2", null, T0);
        tokens.put("t3", "3", null, T0.plusSeconds(1));
        assertNull(tokens.get("t3", T0.plusSeconds(1)), "full of live entries: the newcomer is not remembered");
        assertEquals("1", tokens.get("t1", T0.plusSeconds(1)));
        tokens.put("t4", "4", null, T0.plusSeconds(11));
        assertEquals("4", tokens.get("t4", T0.plusSeconds(11)), "t1 expired and was swept to make room");
        assertEquals(2, tokens.size());
    }

    @Test
    void zeroEntriesDisablesTheMemory() {
        VerifiedTokens<String> tokens = new VerifiedTokens<>(0, Duration.ofSeconds(60));
        tokens.put("a.b.c", "alice", null, T0);
        assertNull(tokens.get("a.b.c", T0));
        assertThrows(IllegalArgumentException.class, () -> new VerifiedTokens<>(-1, Duration.ofSeconds(1)));
    }
}
