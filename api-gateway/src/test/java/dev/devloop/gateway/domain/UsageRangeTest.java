package dev.devloop.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UsageRangeTest {

    private static String field(String from, String to, String groupBy) {
        return UsageRange.check(from, to, groupBy)
                .map(UsageRange.Violation::field)
                .orElse(null);
    }

    @Test
    void acceptsDatesInstantsAndTheDefaults() {
        assertThat(field(null, null, null)).isNull();
        assertThat(field("2026-11-01", "2026-11-30", "model")).isNull();
        assertThat(field("2026-11-01", "2026-11-01", "DAY"))
                .as("one whole day; groupBy in any case")
                .isNull();
        assertThat(field("2026-11-01T10:00:00Z", "2026-11-01T10:00:00+00:00", "agent"))
                .as("to includes its instant")
                .isNull();
        assertThat(field("2025-11-01", "2026-11-01", "provider")).as("366 days").isNull();
    }

    @Test
    void namesTheParameterThatBreaksARule() {
        assertThat(field(null, null, "colour")).isEqualTo("groupBy");
        assertThat(field("yesterday", null, null)).isEqualTo("from");
        assertThat(field("1969-12-31", null, null)).isEqualTo("from");
        assertThat(field(null, "2026-02-30", null)).isEqualTo("to");
        assertThat(field("2026-11-02", "2026-11-01", null)).isEqualTo("to");
        assertThat(field("2024-01-01", "2026-01-01", null)).isEqualTo("to");
        assertThat(field("2".repeat(65), null, null)).isEqualTo("from");
    }
}
