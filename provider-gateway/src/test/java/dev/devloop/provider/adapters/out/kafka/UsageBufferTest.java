package dev.devloop.provider.adapters.out.kafka;

import static dev.devloop.provider.adapters.out.kafka.KafkaUsagePublisherTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.provider.domain.UsageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UsageBufferTest {

    @Test
    void refusesRecordsPastItsCapacityAndTakesThemAgainOnceFlushed() {
        UsageBuffer buffer = new UsageBuffer(3);
        assertThat(buffer.offer(record("a", 1))).isEqualTo(1);
        assertThat(buffer.offer(record("a", 2))).isEqualTo(2);
        assertThat(buffer.offer(record("b", 3))).isEqualTo(3);
        assertThat(buffer.offer(record("b", 4))).isEqualTo(-1);
        assertThat(buffer.size()).isEqualTo(3);

        assertThat(buffer.takeAll()).hasSize(2);
        assertThat(buffer.size()).isZero();
        assertThat(buffer.offer(record("b", 4))).isEqualTo(1);
        assertThatThrownBy(() -> new UsageBuffer(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void takeFullSendsOnlyWholeBatchesOfOneTenantAndKeepsTheRest() {
        UsageBuffer buffer = new UsageBuffer(20_000);
        for (int i = 0; i < 600; i++) {
            buffer.offer(record("a", i));
            if (i < 10) {
                buffer.offer(record("b", i));
            }
        }
        List<List<UsageRecord>> full = buffer.takeFull();
        assertThat(full).hasSize(2).allSatisfy(batch -> assertThat(batch)
                .hasSize(UsageBuffer.MAX_BATCH)
                .allSatisfy(r -> assertThat(r.tenant()).isEqualTo("a")));
        assertThat(full.get(0).get(0).id()).isEqualTo("a/0"); // arrival order kept
        assertThat(full.get(1).get(0).id()).isEqualTo("a/256");
        assertThat(buffer.size()).isEqualTo(600 - 512 + 10);

        List<List<UsageRecord>> rest = buffer.takeAll();
        assertThat(rest).hasSize(2);
        assertThat(rest.get(0)).hasSize(88).allSatisfy(r -> assertThat(r.tenant())
                .isEqualTo("a"));
        assertThat(rest.get(0).get(0).id()).isEqualTo("a/512");
        assertThat(rest.get(1)).hasSize(10).allSatisfy(r -> assertThat(r.tenant())
                .isEqualTo("b"));
        assertThat(buffer.size()).isZero();
        assertThat(buffer.takeAll()).isEmpty();
    }

    @Test
    void concurrentOffersAreEachTakenExactlyOnceWithinTheBound() throws Exception {
        UsageBuffer buffer = new UsageBuffer(1_000);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger refused = new AtomicInteger();
        for (int t = 0; t < 4; t++) {
            String tenant = "t" + t;
            threads.submit(() -> {
                start.await();
                for (int i = 0; i < 400; i++) {
                    if (buffer.offer(record(tenant, i)) < 0) {
                        refused.incrementAndGet();
                    }
                }
                return null;
            });
        }
        start.countDown();
        threads.shutdown();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        List<UsageRecord> taken = new ArrayList<>();
        buffer.takeAll().forEach(batch -> {
            assertThat(batch)
                    .extracting(UsageRecord::tenant)
                    .containsOnly(batch.get(0).tenant());
            taken.addAll(batch);
        });
        assertThat(taken).hasSize(1_000).doesNotHaveDuplicates();
        assertThat(refused.get()).isEqualTo(1_600 - 1_000);
    }
}
