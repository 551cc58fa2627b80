package dev.devloop.knowledge.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.knowledge.domain.FactKey;
import dev.devloop.knowledge.domain.StoredFact;
import dev.devloop.knowledge.domain.Tier;
import dev.devloop.knowledge.ports.in.StoreFactCommand;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import dev.devloop.knowledge.support.InMemoryProcessedEvents;
import dev.devloop.knowledge.support.InMemoryTier;
import dev.devloop.knowledge.support.MutableClock;
import dev.devloop.knowledge.support.Problems;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FactServiceTest {
    private final InMemoryTier shortTier = new InMemoryTier(Tier.SHORT);
    private final InMemoryTier mediumTier = new InMemoryTier(Tier.MEDIUM);
    private final InMemoryTier longTier = new InMemoryTier(Tier.LONG);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FactService facts =
            new FactService(shortTier, mediumTier, longTier, new FactLimits(16, 32, 1_000_000, 100), clock);

    private StoredFact put(String attribute, String value, Long ttl) {
        return facts.store(new StoreFactCommand("t1", "svc", attribute, value, ttl));
    }

    @Test
    void eachTtlLandsInItsTierWithItsExpiry() {
        assertThat(put("a", "1", 30L).tier()).isEqualTo(Tier.SHORT);
        assertThat(put("b", "2", 3600L).tier()).isEqualTo(Tier.MEDIUM);
        assertThat(put("c", "3", null).tier()).isEqualTo(Tier.LONG);
        assertThat(shortTier.contents()).containsOnlyKeys(new FactKey("t1", "svc", "a"));
        assertThat(mediumTier.contents()).containsOnlyKeys(new FactKey("t1", "svc", "b"));
        assertThat(longTier.contents()).containsOnlyKeys(new FactKey("t1", "svc", "c"));
        assertThat(mediumTier.contents().get(new FactKey("t1", "svc", "b")).expiresAt())
                .isEqualTo(Instant.parse("2026-01-01T01:00:00Z"));
        assertThat(longTier.contents().get(new FactKey("t1", "svc", "c")).expiresAt())
                .isNull();
    }

    @Test
    void aWriteRemovesTheKeyFromTheOtherTiers() {
        put("a", "\"old\"", 30L);
        put("a", "\"mid\"", 600L);
        assertThat(shortTier.contents()).isEmpty();
        put("a", "\"new\"", null);
        assertThat(mediumTier.contents()).isEmpty();
        assertThat(facts.get("t1", "svc", "a").valueJson()).isEqualTo("\"new\"");
        put("a", "\"short\"", 10L);
        assertThat(longTier.contents()).isEmpty();
    }

    @Test
    void readsCascadeShortThenMediumThenLong() {
        FactKey key = new FactKey("t1", "svc", "a");
        Instant now = clock.instant();
        longTier.save(new StoredFact(key, "\"long\"", Tier.LONG, null, now));
        assertThat(facts.get("t1", "svc", "a").tier()).isEqualTo(Tier.LONG);
        mediumTier.save(new StoredFact(key, "\"medium\"", Tier.MEDIUM, now.plusSeconds(100), now));
        assertThat(facts.get("t1", "svc", "a").tier()).isEqualTo(Tier.MEDIUM);
        shortTier.save(new StoredFact(key, "\"short\"", Tier.SHORT, now.plusSeconds(10), now));
        assertThat(facts.get("t1", "svc", "a").valueJson()).isEqualTo("\"short\"");
    }

    @Test
    void anExpiredFactIsNotFound() {
        put("a", "1", 120L);
        clock.advance(Duration.ofSeconds(121));
        assertThatThrownBy(() -> facts.get("t1", "svc", "a"))
                .isInstanceOfSatisfying(
                        RuntimeException.class,
                        e -> assertThat(Problems.of(e).status()).isEqualTo(404));
    }

    @Test
    void tenantsDoNotSeeEachOther() {
        put("a", "1", null);
        assertThatThrownBy(() -> facts.get("t2", "svc", "a"))
                .isInstanceOfSatisfying(
                        RuntimeException.class,
                        e -> assertThat(Problems.of(e).status()).isEqualTo(404));
        assertThat(facts.list("t2", "svc")).isEmpty();
    }

    @Test
    void invalidInputNamesTheField() {
        assertField(() -> put(" ", "1", null), "attribute", "blank");
        assertField(() -> facts.store(new StoreFactCommand("t1", "", "a", "1", null)), "entity", "entity");
        assertField(() -> put("x".repeat(17), "1", null), "attribute", "16");
        assertField(() -> put("a\nb", "1", null), "attribute", "control");
        assertField(() -> put("a", null, null), "value", "required");
        assertField(() -> put("a", "null", null), "value", "required");
        assertField(() -> put("a", "\"" + "x".repeat(40) + "\"", null), "value", "32");
        assertField(() -> put("a", "1", 0L), "ttlSeconds", "positive");
        assertField(() -> put("a", "1", -5L), "ttlSeconds", "positive");
        assertField(() -> put("a", "1", 1_000_001L), "ttlSeconds", "at most");
        assertField(
                () -> facts.store(new StoreFactCommand(null, "svc", "a", "1", null)), "X-Devloop-Tenant", "required");
        assertField(() -> facts.get("t1", "svc", ""), "attribute", "blank");
        assertThat(shortTier.contents()).isEmpty();
        assertThat(mediumTier.contents()).isEmpty();
        assertThat(longTier.contents()).isEmpty();
    }

    private static void assertField(Runnable call, String field, String detail) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(RuntimeException.class, e -> {
            assertThat(Problems.of(e).status()).isEqualTo(400);
            assertThat(Problems.of(e).field()).isEqualTo(field);
            assertThat(Problems.of(e).detail()).contains(detail);
        });
    }

    @Test
    void aDownTargetTierFailsTheWriteWhileOtherTiersServe() {
        mediumTier.down(true);
        assertThatThrownBy(() -> put("a", "1", 600L)).isInstanceOf(TierUnavailableException.class);
        assertThat(put("b", "2", null).tier()).isEqualTo(Tier.LONG);
        assertThat(put("c", "3", 5L).tier()).isEqualTo(Tier.SHORT);
        assertThat(facts.get("t1", "svc", "b").valueJson()).isEqualTo("2");
    }

    @Test
    void aMissWhileATierIsDownIsUnavailableNotAbsent() {
        shortTier.down(true);
        assertThatThrownBy(() -> facts.get("t1", "svc", "nothing")).isInstanceOf(TierUnavailableException.class);
    }

    @Test
    void listMergesTiersWithShortestTierWinning() {
        FactKey key = new FactKey("t1", "svc", "a");
        Instant now = clock.instant();
        longTier.save(new StoredFact(key, "\"long\"", Tier.LONG, null, now));
        shortTier.save(new StoredFact(key, "\"short\"", Tier.SHORT, now.plusSeconds(10), now));
        put("b", "2", 600L);
        List<StoredFact> listed = facts.list("t1", "svc");
        assertThat(listed).extracting(f -> f.key().attribute()).containsExactly("a", "b");
        assertThat(listed.get(0).valueJson()).isEqualTo("\"short\"");
    }

    @Test
    void deleteRemovesFromEveryTierAndThenIsNotFound() {
        put("a", "1", null);
        facts.delete("t1", "svc", "a");
        assertThat(longTier.contents()).isEmpty();
        assertThatThrownBy(() -> facts.delete("t1", "svc", "a"))
                .isInstanceOfSatisfying(
                        RuntimeException.class,
                        e -> assertThat(Problems.of(e).status()).isEqualTo(404));
    }

    @Test
    void sweeperDeletesOnlyExpiredFacts() {
        put("a", "1", 120L);
        put("b", "2", 7200L);
        put("c", "3", 100_000L);
        clock.advance(Duration.ofSeconds(200));
        SweepService sweeper = new SweepService(
                List.of(mediumTier, longTier), new InMemoryProcessedEvents(), Duration.ofDays(1), 1, 10, clock);
        assertThat(sweeper.sweep()).isEqualTo(1);
        assertThat(mediumTier.contents()).containsOnlyKeys(new FactKey("t1", "svc", "b"));
        clock.advance(Duration.ofDays(2));
        assertThat(sweeper.sweep()).isEqualTo(2);
        assertThat(longTier.contents()).isEmpty();
    }
}
