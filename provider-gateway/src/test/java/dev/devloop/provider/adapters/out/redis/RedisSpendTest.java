package dev.devloop.provider.adapters.out.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.provider.support.CommonStubs;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Spend summed in memory and written in flushes, against the real Redis. Amounts are multiples of 1/1024, exact in
 * binary floating point, so any order of additions gives the same sum and the sums compare with equality.
 */
@QuarkusTest
@WithTestResource(CommonStubs.class)
class RedisSpendTest {
    private static final String PERIOD = "2026-12";

    @Inject
    RedisSpend spend;

    @Inject
    ReactiveRedisDataSource reactiveRedis;

    @Inject
    RedisDataSource redis;

    @Inject
    MeterRegistry registry;

    @Test
    void concurrentAddsReachRedisAsTheExactSum() throws InterruptedException {
        String tenant = "t-" + UUID.randomUUID();
        int threads = 8;
        int each = 500;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> adders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread adder = new Thread(() -> {
                awaitQuietly(go);
                for (int i = 0; i < each; i++) {
                    spend.add(tenant, PERIOD, amount(i));
                }
            });
            adder.start();
            adders.add(adder);
        }
        go.countDown();
        for (Thread adder : adders) {
            adder.join();
        }
        double expected = 0;
        for (int i = 0; i < each; i++) {
            expected += threads * amount(i);
        }

        spend.flush(); // waits for a flush the background thread may be running, then writes the rest

        assertThat(stored(tenant)).isEqualTo(expected);
        assertThat(spend.spent(tenant, PERIOD)).isEqualTo(expected); // written once, not counted twice
    }

    @Test
    void aBudgetCheckCountsSpendNotYetWritten() {
        String tenant = "t-" + UUID.randomUUID();
        // no tick for an hour: nothing is written by itself (the flusher only runs the first check's read)
        RedisSpend unflushed = instance(Duration.ofHours(1), Duration.ofHours(1));
        unflushed.start();
        unflushed.add(tenant, PERIOD, 0.25);
        unflushed.addLater(tenant, PERIOD, 0.5);

        assertThat(redis.value(String.class).get(RedisSpend.key(tenant, PERIOD)))
                .isNull();
        assertThat(unflushed.spent(tenant, PERIOD)).isEqualTo(0.75);

        unflushed.flush();
        assertThat(stored(tenant)).isEqualTo(0.75);
        assertThat(unflushed.spent(tenant, PERIOD)).isEqualTo(0.75);
        assertThat(redis.key().ttl(RedisSpend.key(tenant, PERIOD))).isPositive(); // kept 40 days, not forever
        unflushed.close();
    }

    @Test
    void checksAreAnsweredFromMemoryAndAFlushBringsOtherInstancesSpend() {
        String tenant = "t-" + UUID.randomUUID();
        RedisSpend memo = instance(Duration.ofHours(1), Duration.ofHours(1));
        memo.start();
        assertThat(memo.spent(tenant, PERIOD)).isZero(); // the first check reads Redis once

        other(tenant, 5); // another instance's flush: not read again while the memo is fresh
        assertThat(memo.spent(tenant, PERIOD)).isZero();
        memo.add(tenant, PERIOD, 0.25);
        assertThat(memo.spent(tenant, PERIOD)).isEqualTo(0.25); // this instance's own spend: exact at once

        memo.flush(); // INCRBYFLOAT answers Redis' total, which has the other instance's spend
        assertThat(stored(tenant)).isEqualTo(5.25);
        assertThat(memo.spent(tenant, PERIOD)).isEqualTo(5.25);
        memo.close();
    }

    @Test
    void aStaleMemoIsReloadedOnceWhileChecksGoOn() {
        String tenant = "t-" + UUID.randomUUID();
        RedisSpend memo = instance(Duration.ofHours(1), Duration.ofMillis(1));
        memo.start();
        assertThat(memo.spent(tenant, PERIOD)).isZero();
        memo.add(tenant, PERIOD, 0.5);

        other(tenant, 2);
        double seen = memo.spent(tenant, PERIOD); // the stale memo answers, and asks the flusher for a reload
        for (int i = 0; i < 200 && seen != 2.5; i++) {
            sleep(20);
            seen = memo.spent(tenant, PERIOD);
        }
        assertThat(seen).isEqualTo(2.5); // the other instance's 2 from Redis, plus this one's unwritten 0.5
        assertThat(stored(tenant)).isEqualTo(2); // a reload only reads
        memo.close();
        assertThat(stored(tenant)).isEqualTo(2.5);
    }

    @Test
    void shutdownWritesWhatWaitsAndLaterSpendIsWrittenAtOnce() {
        String tenant = "t-" + UUID.randomUUID();
        double droppedBefore = registry.get(RedisSpend.DROPPED).counter().count();
        RedisSpend stopping = instance(Duration.ofHours(1));
        stopping.start();
        for (int i = 0; i < 100; i++) {
            stopping.add(tenant, PERIOD, amount(i));
        }
        double expected = 0;
        for (int i = 0; i < 100; i++) {
            expected += amount(i);
        }

        stopping.onShutdown(null);
        assertThat(stored(tenant)).isEqualTo(expected);

        // a call still finishing after the shutdown flush: written directly, not left in memory
        stopping.add(tenant, PERIOD, 1);
        double withLate = expected + 1;
        for (int i = 0; i < 200 && stored(tenant) != withLate; i++) {
            sleep(50);
        }
        assertThat(stored(tenant)).isEqualTo(withLate);
        assertThat(registry.get(RedisSpend.DROPPED).counter().count()).isEqualTo(droppedBefore);
    }

    private RedisSpend instance(Duration flushInterval) {
        return instance(flushInterval, Duration.ofSeconds(1));
    }

    private RedisSpend instance(Duration flushInterval, Duration memo) {
        return new RedisSpend(
                reactiveRedis, Duration.ofSeconds(2), flushInterval, memo, new PendingSpend(100, 3), registry);
    }

    /** What another gateway instance's flush leaves in Redis. */
    private void other(String tenant, double usd) {
        redis.value(String.class).incrbyfloat(RedisSpend.key(tenant, PERIOD), usd);
    }

    private double stored(String tenant) {
        String raw = redis.value(String.class).get(RedisSpend.key(tenant, PERIOD));
        return raw == null ? 0 : Double.parseDouble(raw);
    }

    private static double amount(int i) {
        return (i % 16 + 1) / 1024.0;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
