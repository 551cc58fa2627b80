package dev.devloop.knowledge.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TierTest {

    @Test
    void ttlPicksTheTierExactlyAsTheSeedSays() {
        assertThat(Tier.forTtl(null)).isEqualTo(Tier.LONG);
        assertThat(Tier.forTtl(1L)).isEqualTo(Tier.SHORT);
        assertThat(Tier.forTtl(59L)).isEqualTo(Tier.SHORT);
        assertThat(Tier.forTtl(60L)).isEqualTo(Tier.MEDIUM);
        assertThat(Tier.forTtl(86_399L)).isEqualTo(Tier.MEDIUM);
        assertThat(Tier.forTtl(86_400L)).isEqualTo(Tier.LONG);
    }
}
