package dev.devloop.knowledge.adapters.out.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.ports.out.RoadmapOutboxPort;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/** The relay deletes only what Kafka acknowledged: an outage delays events, it loses none. */
class RoadmapEventRelayTest {

    /** An outbox in memory. */
    static class MemoryOutbox implements RoadmapOutboxPort {
        final List<Pending> events = new ArrayList<>();

        @Override
        public List<Pending> oldest(int limit) {
            return List.copyOf(events.subList(0, Math.min(limit, events.size())));
        }

        @Override
        public void delete(List<String> ids) {
            events.removeIf(e -> ids.contains(e.id()));
        }

        @Override
        public long pending() {
            return events.size();
        }
    }

    /** A Kafka stand-in that acknowledges, refuses or never answers. */
    static class FakeKafka implements Emitter<String> {
        enum Mode {
            ACK,
            NACK,
            SILENT
        }

        Mode mode = Mode.ACK;
        final List<String> delivered = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        final List<String> topics = new ArrayList<>();

        @Override
        public CompletionStage<Void> send(String payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <M extends Message<? extends String>> void send(M message) {
            OutgoingKafkaRecordMetadata<String> meta =
                    message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
            switch (mode) {
                case ACK -> {
                    delivered.add(message.getPayload());
                    keys.add(meta.getKey());
                    topics.add(meta.getTopic());
                    message.ack();
                }
                case NACK -> message.nack(new IllegalStateException("broker down"));
                case SILENT -> {}
            }
        }

        @Override
        public void complete() {}

        @Override
        public void error(Exception e) {}

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }

    private static KnowledgeConfig.Roadmap config() {
        return (KnowledgeConfig.Roadmap) Proxy.newProxyInstance(
                KnowledgeConfig.Roadmap.class.getClassLoader(),
                new Class<?>[] {KnowledgeConfig.Roadmap.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "relayBatchSize" -> 2;
                    case "relayMaxBatches" -> 10;
                    case "relayAckTimeout" -> Duration.ofMillis(200);
                    case "topicPrefix" -> Optional.empty();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void unacknowledgedEventsStayInTheOutboxUntilKafkaTakesThem() {
        MemoryOutbox outbox = new MemoryOutbox();
        for (int i = 1; i <= 5; i++) {
            outbox.events.add(new RoadmapOutboxPort.Pending("e" + i, i <= 3 ? "acme" : "globex", "{\"n\":" + i + "}"));
        }
        FakeKafka kafka = new FakeKafka();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RoadmapEventRelay relay = new RoadmapEventRelay(outbox, kafka, config(), registry);

        kafka.mode = FakeKafka.Mode.NACK;
        relay.relay();
        assertThat(outbox.events).hasSize(5);
        kafka.mode = FakeKafka.Mode.SILENT;
        relay.relay();
        assertThat(outbox.events).hasSize(5);
        assertThat(registry.get("devloop.roadmap.outbox.pending").gauge().value())
                .isEqualTo(5.0);

        kafka.mode = FakeKafka.Mode.ACK;
        relay.relay();
        assertThat(outbox.events).isEmpty();
        assertThat(kafka.delivered).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}", "{\"n\":5}");
        assertThat(kafka.keys).containsExactly("acme", "acme", "acme", "globex", "globex");
        assertThat(kafka.topics).containsOnly("devloop.roadmap.events");
        assertThat(registry.get("devloop.roadmap.events.published").counter().count())
                .isEqualTo(5.0);
        assertThat(registry.get("devloop.roadmap.outbox.pending").gauge().value())
                .isZero();
    }
}
