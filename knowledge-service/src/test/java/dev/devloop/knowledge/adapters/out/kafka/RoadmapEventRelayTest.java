package dev.devloop.knowledge.adapters.out.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.contracts.events.InvalidEventException;
import dev.devloop.contracts.events.KafkaEvents;
import dev.devloop.contracts.identity.ServiceKeys;
import dev.devloop.contracts.identity.testing.TestCredentials;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.ports.out.RoadmapOutboxPort;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/**
 * The relay deletes only what Kafka acknowledged: an outage delays events, it loses none; every record it sends is
 * signed by knowledge-service for {@code devloop.roadmap.events}.
 */
class RoadmapEventRelayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CloudEventCodec CODEC = new CloudEventCodec(JSON);

    private static EventSignatures as(String service) {
        return new EventSignatures(ServiceKeys.open(TestCredentials.keyDir(), service, true), "devloop-cell");
    }

    /** What the outbox holds: the event's final record value, its id being the outbox id. */
    private static String value(String id, String tenant, int n) {
        return CODEC.encode(new CloudEvent(
                CloudEvent.SPEC_VERSION,
                id,
                "/devloop/knowledge-service",
                "dev.devloop.roadmap.node.updated",
                null,
                null,
                CloudEvent.JSON,
                tenant,
                JSON.valueToTree(Map.of("n", n))));
    }

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
        final List<String> signatures = new ArrayList<>();

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
                    Header signature = meta.getHeaders().lastHeader(EventSignatures.SIGNATURE_HEADER);
                    signatures.add(signature == null ? null : new String(signature.value(), StandardCharsets.UTF_8));
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
            String tenant = i <= 3 ? "acme" : "globex";
            outbox.events.add(new RoadmapOutboxPort.Pending("e" + i, tenant, value("e" + i, tenant, i)));
        }
        List<String> values =
                outbox.events.stream().map(RoadmapOutboxPort.Pending::payload).toList();
        FakeKafka kafka = new FakeKafka();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RoadmapEventRelay relay = new RoadmapEventRelay(
                outbox, kafka, new KafkaEvents(CODEC, as("knowledge-service")), config(), registry);

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
        assertThat(kafka.delivered).containsExactlyElementsOf(values);
        assertThat(kafka.keys).containsExactly("acme", "acme", "acme", "globex", "globex");
        assertThat(kafka.topics).containsOnly("devloop.roadmap.events");
        assertThat(registry.get("devloop.roadmap.events.published").counter().count())
                .isEqualTo(5.0);
        assertThat(registry.get("devloop.roadmap.outbox.pending").gauge().value())
                .isZero();
    }

    @Test
    void eachRelayedRecordCarriesASignatureThatVerifiesForTheRoadmapTopicOnly() {
        MemoryOutbox outbox = new MemoryOutbox();
        outbox.events.add(new RoadmapOutboxPort.Pending("s1", "acme", value("s1", "acme", 1)));
        outbox.events.add(new RoadmapOutboxPort.Pending("s2", "globex", value("s2", "globex", 2)));
        FakeKafka kafka = new FakeKafka();
        new RoadmapEventRelay(
                        outbox,
                        kafka,
                        new KafkaEvents(CODEC, as("knowledge-service")),
                        config(),
                        new SimpleMeterRegistry())
                .relay();

        assertThat(kafka.signatures).hasSize(2).doesNotContainNull();
        EventSignatures consumer = as(TestCredentials.TEST_CALLER);
        for (int i = 0; i < 2; i++) {
            String value = kafka.delivered.get(i);
            String signature = kafka.signatures.get(i);
            CloudEvent event = CODEC.decode(value, CloudEventCodec.Limits.DEFAULT);
            assertThat(consumer.verify(Topics.ROADMAP_EVENTS, event, value, signature, null))
                    .isEqualTo("knowledge-service");
            assertThatThrownBy(() -> consumer.verify(Topics.CACHE_INVALIDATION, event, value, signature, null))
                    .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.kind())
                            .isEqualTo(InvalidEventException.Kind.FORGED));
        }
    }
}
