package dev.devloop.knowledge.adapters.out.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The in-process cache level's bounds: entries, bytes and time. */
class LocalCacheLevelTest {
    private final AtomicLong now = new AtomicLong();
    private final LocalCacheLevel level = new LocalCacheLevel(3, 100, 10_000, now::get);

    @Test
    void keepsAtMostMaxEntriesDroppingTheLeastRecentlyUsed() {
        level.put("a", "A", 1, 0, 10, Long.MAX_VALUE);
        level.put("b", "B", 1, 0, 10, Long.MAX_VALUE);
        level.put("c", "C", 1, 0, 10, Long.MAX_VALUE);
        assertThat(level.get("a")).isNotNull(); // a is now the most recently used
        level.put("d", "D", 1, 0, 10, Long.MAX_VALUE);
        assertThat(level.size()).isEqualTo(3);
        assertThat(level.get("b")).as("least recently used").isNull();
        assertThat(level.get("a").value()).isEqualTo("A");
        assertThat(level.bytes()).isEqualTo(30);
    }

    @Test
    void keepsAtMostMaxBytesAndNeverAnEntryLargerThanThat() {
        level.put("a", "A", 1, 0, 60, Long.MAX_VALUE);
        level.put("b", "B", 1, 0, 50, Long.MAX_VALUE);
        assertThat(level.get("a")).as("evicted to fit 100 bytes").isNull();
        assertThat(level.bytes()).isEqualTo(50);
        level.put("huge", "H", 1, 0, 101, Long.MAX_VALUE);
        assertThat(level.get("huge")).isNull();
        assertThat(level.get("b")).isNotNull();
    }

    @Test
    void entriesExpireAfterTheShorterOfTheLevelTtlAndTheirOwn() {
        level.put("a", "A", 1, 0, 10, Long.MAX_VALUE);
        level.put("b", "B", 1, 0, 10, 2_000);
        now.set(1_999);
        assertThat(level.get("b")).isNotNull();
        now.set(2_000);
        assertThat(level.get("b")).as("its own ttl").isNull();
        now.set(9_999);
        assertThat(level.get("a")).isNotNull();
        now.set(10_000);
        assertThat(level.get("a")).as("the level's ttl").isNull();
        assertThat(level.size()).isZero();
        assertThat(level.bytes()).isZero();
    }

    @Test
    void replacingAnEntryKeepsTheByteCountRight() {
        level.put("a", "A", 1, 0, 40, Long.MAX_VALUE);
        level.put("a", "A2", 2, 0, 30, Long.MAX_VALUE);
        assertThat(level.bytes()).isEqualTo(30);
        assertThat(level.get("a").generation()).isEqualTo(2);
        level.remove("a");
        assertThat(level.bytes()).isZero();
    }
}
