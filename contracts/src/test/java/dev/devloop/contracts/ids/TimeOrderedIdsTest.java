package dev.devloop.contracts.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Ids are RFC 9562 version 7 UUIDs: unique, and ordered by the millisecond they were made in. */
class TimeOrderedIdsTest {

    @Test
    void anIdIsAVersion7UuidCarryingItsMillisecond() {
        long at = 1_796_000_000_123L;
        UUID id = UUID.fromString(TimeOrderedIds.uuid(at, new Random(1)));
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(at);
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnesAsStringsAndNoneRepeat() {
        Random random = new Random(7);
        List<String> ids = new ArrayList<>();
        for (long ms = 1_796_000_000_000L; ms < 1_796_000_000_000L + 2_000; ms++) {
            ids.add(TimeOrderedIds.uuid(ms, random));
        }
        assertThat(ids).isSorted(); // the _id index's order: an insert lands at its right edge
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        assertThat(TimeOrderedIds.uuid()).isNotEqualTo(TimeOrderedIds.uuid());
    }
}
