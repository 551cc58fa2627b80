package dev.devloop.knowledge.adapters.in.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's shutdown order, at unit level: the drain runs at {@code ShutdownEvent}, before Quarkus' shutdown tasks
 * close the stores. An event in flight finishes against an open store; an event after it is refused; a failure while
 * stopping is neither dead-lettered nor acknowledged (so it is never committed and Kafka redelivers it).
 */
class ConsumerDrainTest {

    /** A store the shutdown closes: using it once closed fails, as the Neo4j driver does. */
    static final class Store {
        final AtomicBoolean open = new AtomicBoolean(true);

        void write() {
            if (!open.get()) {
                throw new IllegalStateException("the store is closed");
            }
        }
    }

    @Test
    void theInFlightEventFinishesBeforeTheStoreClosesAndLaterOnesAreRefused() throws Exception {
        ConsumerDrain drain = new ConsumerDrain(Duration.ofSeconds(5));
        Store store = new Store();
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> inFlightFailure = new AtomicReference<>();
        AtomicBoolean inFlightDone = new AtomicBoolean();
        Thread consumer = new Thread(() -> {
            try {
                drain.run(() -> {
                    started.countDown();
                    sleep(300); // the event is being handled when shutdown begins
                    store.write();
                    inFlightDone.set(true);
                });
            } catch (Throwable e) {
                inFlightFailure.set(e);
            }
        });
        consumer.start();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(drain.inFlight()).isEqualTo(1);
        assertThat(drain.fate()).isEqualTo("dead-lettered");

        // the shutdown, in Quarkus' order: ShutdownEvent (the drain), then the shutdown tasks (the store closes)
        long t0 = System.nanoTime();
        assertThat(drain.stop()).isTrue();
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        store.open.set(false);
        consumer.join(5000);

        assertThat(inFlightFailure.get()).isNull();
        assertThat(inFlightDone).isTrue();
        assertThat(waitedMs).isBetween(100L, 5000L);
        assertThat(drain.stopping()).isTrue();
        assertThat(drain.fate()).contains("redelivery");

        AtomicInteger ranAfterStop = new AtomicInteger();
        assertThatThrownBy(() -> drain.run(ranAfterStop::incrementAndGet)).isInstanceOf(ServiceStoppingException.class);
        assertThat(ranAfterStop).hasValue(0);
    }

    @Test
    void anEventLongerThanTheGraceIsLeftRunningAndStopAnswersFalse() throws Exception {
        ConsumerDrain drain = new ConsumerDrain(Duration.ofMillis(200));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        Thread consumer = new Thread(() -> drain.run(() -> {
            started.countDown();
            await(release);
        }));
        consumer.start();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        assertThat(drain.stop()).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(150L, 3000L);
        release.countDown();
        consumer.join(5000);
        assertThat(drain.inFlight()).isZero();
    }

    /** A dead-letter queue stand-in that records what it was handed. */
    static final class RecordingDlq implements KafkaFailureHandler {
        final List<Throwable> deadLettered = new ArrayList<>();

        @Override
        public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
            deadLettered.add(reason);
            return Uni.createFrom().voidItem();
        }
    }

    /** Counts acknowledgements: an acknowledged record is one the commit strategy may commit. */
    static final class CountingCommits implements KafkaCommitHandler {
        final AtomicInteger acked = new AtomicInteger();

        @Override
        public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record) {
            acked.incrementAndGet();
            return Uni.createFrom().voidItem();
        }
    }

    @Test
    void aFailureWhileStoppingIsNeitherDeadLetteredNorAcknowledged() {
        ConsumerDrain drain = new ConsumerDrain(Duration.ofSeconds(1));
        RecordingDlq dlq = new RecordingDlq();
        CountingCommits commits = new CountingCommits();
        KafkaFailureHandler handler = RedeliverWhenStoppingFailureStrategy.handler("knowledge-facts", dlq, drain);
        IncomingKafkaRecord<String, String> record = new IncomingKafkaRecord<>(
                new ConsumerRecord<>("devloop.knowledge.facts", 0, 41, "k", "{}"),
                "knowledge-facts",
                0,
                commits,
                handler,
                false,
                false);

        // running: a failing event is dead-lettered, as before
        IllegalStateException poison = new IllegalStateException("bad event");
        handler.handle(record, poison, Metadata.empty()).await().atMost(Duration.ofSeconds(5));
        assertThat(dlq.deadLettered).containsExactly(poison);

        // stopping: the store-closed failure is left for redelivery
        drain.stop();
        IllegalStateException closed = new IllegalStateException("the store is closed");
        handler.handle(record, closed, Metadata.empty()).await().atMost(Duration.ofSeconds(5));
        handler.handle(record, new ServiceStoppingException(), Metadata.empty())
                .await()
                .atMost(Duration.ofSeconds(5));
        assertThat(dlq.deadLettered).containsExactly(poison);
        assertThat(commits.acked).hasValue(0);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
