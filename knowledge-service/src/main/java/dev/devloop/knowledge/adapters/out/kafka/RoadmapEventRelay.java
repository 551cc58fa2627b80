package dev.devloop.knowledge.adapters.out.kafka;

import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.KafkaEvents;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.ports.out.RoadmapOutboxPort;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Relays the roadmap outbox to {@code devloop.roadmap.events} (key: the tenant, so one tenant's events stay in
 * order): a bounded batch of the oldest events is sent, and only the events Kafka acknowledged are deleted. While
 * Kafka is down nothing is deleted, so events are delayed, never lost; an event whose acknowledgement is lost can
 * be sent twice (consumers de-duplicate by event id). Each record is signed when it is relayed (the outbox holds the
 * final value; a signature does not expire, so a late relay still verifies), over the logical topic.
 */
@ApplicationScoped
public class RoadmapEventRelay {
    public static final String CHANNEL = "roadmap-events-out";

    private final RoadmapOutboxPort outbox;
    private final Emitter<String> emitter;
    private final KafkaEvents events;
    private final KnowledgeConfig.Roadmap config;
    private final Counter published;
    private final Counter failed;
    private final AtomicLong pending = new AtomicLong();
    private final String topic;

    @Inject
    public RoadmapEventRelay(
            RoadmapOutboxPort outbox,
            @Channel(CHANNEL) Emitter<String> emitter,
            KafkaEvents events,
            KnowledgeConfig config,
            MeterRegistry registry) {
        this(outbox, emitter, events, config.roadmap(), registry);
    }

    RoadmapEventRelay(
            RoadmapOutboxPort outbox,
            Emitter<String> emitter,
            KafkaEvents events,
            KnowledgeConfig.Roadmap config,
            MeterRegistry registry) {
        this.outbox = outbox;
        this.emitter = emitter;
        this.events = events;
        this.config = config;
        this.topic = this.config.topicPrefix().orElse("") + Topics.ROADMAP_EVENTS;
        this.published = Counter.builder("devloop.roadmap.events.published")
                .description("Roadmap events Kafka acknowledged")
                .register(registry);
        this.failed = Counter.builder("devloop.roadmap.events.failed")
                .description("Roadmap events Kafka refused or did not acknowledge in time (they are retried)")
                .register(registry);
        Gauge.builder("devloop.roadmap.outbox.pending", pending, AtomicLong::get)
                .description("Roadmap events written but not yet acknowledged by Kafka")
                .register(registry);
    }

    @Scheduled(
            every = "${devloop.knowledge.roadmap.relay-every:1s}",
            delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void relay() {
        try {
            for (int round = 0; round < config.relayMaxBatches(); round++) {
                if (relayBatch() < config.relayBatchSize()) {
                    break;
                }
            }
            pending.set(outbox.pending());
        } catch (TierUnavailableException e) {
            Log.debugf("roadmap outbox not relayed: %s", e.getMessage());
        }
    }

    /** Sends one batch; answers how many events it read. */
    int relayBatch() {
        List<RoadmapOutboxPort.Pending> batch = outbox.oldest(config.relayBatchSize());
        if (batch.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<String>> acks = new ArrayList<>(batch.size());
        for (RoadmapOutboxPort.Pending event : batch) {
            CompletableFuture<String> ack = new CompletableFuture<>();
            acks.add(ack);
            try {
                emitter.send(Message.of(event.payload())
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                .withTopic(topic)
                                .withKey(event.tenant())
                                .withHeaders(events.signedHeaders(
                                        Topics.ROADMAP_EVENTS, event.tenant(), event.id(), event.payload()))
                                .build())
                        .withAck(() -> {
                            ack.complete(event.id());
                            return CompletableFuture.completedFuture(null);
                        })
                        .withNack(failure -> {
                            ack.completeExceptionally(failure);
                            return CompletableFuture.completedFuture(null);
                        }));
            } catch (RuntimeException e) {
                ack.completeExceptionally(e);
            }
        }
        long deadline = System.nanoTime() + config.relayAckTimeout().toNanos();
        List<String> done = new ArrayList<>();
        for (CompletableFuture<String> ack : acks) {
            try {
                done.add(ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (Exception e) {
                failed.increment();
            }
        }
        outbox.delete(done);
        published.increment(done.size());
        if (done.size() < batch.size()) {
            Log.warnf(
                    "roadmap events: %d of %d not acknowledged by Kafka; they stay in the outbox",
                    batch.size() - done.size(), batch.size());
            return 0;
        }
        return batch.size();
    }
}
