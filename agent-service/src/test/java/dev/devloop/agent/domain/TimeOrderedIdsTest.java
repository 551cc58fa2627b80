package dev.devloop.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    @Test
    void anIdIsAVersion7UuidCarryingItsMillisecondAndLaterIdsSortAfter() {
        Instant start = Instant.parse("2026-12-07T12:00:00Z");
        List<String> ids = new ArrayList<>();
        for (int ms = 0; ms < 1_000; ms++) {
            ids.add(TimeOrderedIds.uuid(start.plusMillis(ms)));
        }
        UUID first = UUID.fromString(ids.get(0));
        assertThat(first.version()).isEqualTo(7);
        assertThat(first.variant()).isEqualTo(2);
        assertThat(first.getMostSignificantBits() >>> 16).isEqualTo(start.toEpochMilli());
        assertThat(ids).isSorted();
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        assertThat(TimeOrderedIds.uuid(start)).isNotEqualTo(TimeOrderedIds.uuid(start));
    }
}
