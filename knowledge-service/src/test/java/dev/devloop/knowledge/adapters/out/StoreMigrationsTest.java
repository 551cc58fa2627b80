package dev.devloop.knowledge.adapters.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.knowledge.adapters.in.kafka.ConsumerDrain;
import dev.devloop.knowledge.adapters.in.kafka.ServiceStoppingException;
import dev.devloop.migrations.MigrationStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 goal 3: the stores' migrations run off the start thread. The start returns while they run; readiness
 * ({@code migrations}) is DOWN and the consumers that write hold their records until both stores are migrated; a
 * record waiting when the shutdown begins is refused untouched (left for redelivery, never dead-lettered).
 */
class StoreMigrationsTest {

    /** A store whose first migration attempt blocks until released, then reports {@code outcome}. */
    static final class SlowStore {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicReference<MigrationStatus> status =
                new AtomicReference<>(MigrationStatus.pending("migrations not run yet"));
        final MigrationStatus outcome;

        SlowStore(MigrationStatus outcome) {
            this.outcome = outcome;
        }

        StoreMigrations.Store store(String name) {
            return new StoreMigrations.Store(
                    name,
                    () -> {
                        await(release);
                        status.set(outcome);
                    },
                    status::get);
        }
    }

    private static final MigrationStatus APPLIED = new MigrationStatus(MigrationStatus.State.APPLIED, "002", "");

    @Test
    void theStartDoesNotWaitAndRecordsWaitForBothStores() throws Exception {
        SlowStore neo4j = new SlowStore(APPLIED);
        SlowStore mongo = new SlowStore(APPLIED);
        AtomicInteger schemaAwaited = new AtomicInteger();
        StoreMigrations migrations = new StoreMigrations(
                List.of(neo4j.store("neo4j"), mongo.store("mongodb")), schemaAwaited::incrementAndGet);
        MigrationsReadinessCheck readiness = new MigrationsReadinessCheck(migrations);
        ConsumerDrain drain = new ConsumerDrain(Duration.ofSeconds(5), migrations);

        long t0 = System.nanoTime();
        migrations.start();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2000L);

        HealthCheckResponse down = readiness.call();
        assertThat(down.getName()).isEqualTo("migrations");
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getData().orElseThrow())
                .containsEntry("neo4j", "pending")
                .containsEntry("mongodb", "pending");

        AtomicInteger applied = new AtomicInteger();
        CountDownLatch handled = new CountDownLatch(1);
        Thread consumer = new Thread(() -> {
            drain.runWhenMigrated(applied::incrementAndGet);
            handled.countDown();
        });
        consumer.start();

        neo4j.release.countDown();
        assertThat(handled.await(300, TimeUnit.MILLISECONDS)).isFalse(); // MongoDB is still migrating
        assertThat(applied).hasValue(0);
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(readiness.call().getData().orElseThrow()).containsEntry("neo4j", "applied");

        mongo.release.countDown();
        assertThat(handled.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(applied).hasValue(1);
        assertThat(schemaAwaited).hasValue(1);
        HealthCheckResponse up = readiness.call();
        assertThat(up.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(up.getData().orElseThrow()).containsEntry("neo4j", "applied").containsEntry("mongodb", "applied");
        consumer.join(5000);
    }

    @Test
    void aRecordWaitingForTheMigrationsWhenTheShutdownBeginsIsRefusedUntouched() throws Exception {
        SlowStore neo4j = new SlowStore(APPLIED);
        StoreMigrations migrations = new StoreMigrations(List.of(neo4j.store("neo4j")), () -> {});
        ConsumerDrain drain = new ConsumerDrain(Duration.ofSeconds(5), migrations);
        migrations.start();

        AtomicInteger applied = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread consumer = new Thread(() -> {
            try {
                drain.runWhenMigrated(applied::incrementAndGet);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        consumer.start();
        Thread.sleep(200);
        assertThat(drain.stop()).isTrue(); // nothing in flight: the waiting record is not being handled
        consumer.join(5000);

        // the failure strategy sees drain.stopping(): neither dead-lettered nor acknowledged (ConsumerDrainTest)
        assertThat(failure.get()).isInstanceOf(ServiceStoppingException.class);
        assertThat(drain.stopping()).isTrue();
        assertThat(applied).hasValue(0);
        neo4j.release.countDown();
    }

    @Test
    void aFailedMigrationKeepsTheGateClosedAndRecordsWaiting() throws Exception {
        SlowStore neo4j = new SlowStore(
                new MigrationStatus(MigrationStatus.State.FAILED, "001", "neo4j migration failed: broken"));
        StoreMigrations migrations = new StoreMigrations(List.of(neo4j.store("neo4j")), () -> {});
        ConsumerDrain drain = new ConsumerDrain(Duration.ofSeconds(5), migrations);
        migrations.start();
        neo4j.release.countDown();

        Thread.sleep(300);
        assertThat(migrations.migrated()).isFalse();
        assertThat(migrations.awaitMigrated(Duration.ofMillis(100))).isFalse();
        HealthCheckResponse down = new MigrationsReadinessCheck(migrations).call();
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getData().orElseThrow()).containsEntry("neo4j", "failed");

        drain.stop();
        AtomicInteger applied = new AtomicInteger();
        assertThatThrownBy(() -> drain.runWhenMigrated(applied::incrementAndGet))
                .isInstanceOf(ServiceStoppingException.class);
        assertThat(applied).hasValue(0);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
