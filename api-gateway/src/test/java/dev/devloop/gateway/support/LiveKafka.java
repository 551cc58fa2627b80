package dev.devloop.gateway.support;

import dev.devloop.contracts.events.EventProducers;
import dev.devloop.contracts.events.testing.TestEvents;
import dev.devloop.gateway.domain.EventChannel;
import dev.devloop.gateway.domain.LiveEvent;
import dev.devloop.gateway.ports.in.LiveEventsUseCase;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real Kafka producer for tests that signs each record as the topic's real producer, and a wait until the
 * gateway's live consumer reads every live topic.
 */
public final class LiveKafka implements AutoCloseable {
    private final KafkaProducer<String, String> producer;

    public LiveKafka(String bootstrap) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        props.put("acks", "all");
        producer = new KafkaProducer<>(props);
    }

    /** A CloudEvent JSON with the tenant extension. */
    public static String event(String id, String type, String tenant, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/test\",\"type\":\"" + type
                + "\",\"time\":\"2026-11-25T10:00:00Z\",\"datacontenttype\":\"application/json\",\"tenant\":\"" + tenant
                + "\",\"data\":" + data + "}";
    }

    /** Sends {@code value} on logical {@code topic} signed as the topic's real producer (docs/design.md §3). */
    public void send(String topic, String key, String value) {
        send(topic, key, value, TestEvents.signedBy(producerOf(topic), topic, value));
    }

    /** Sends {@code value} with exactly {@code headers} (none: an unsigned record). */
    public void send(String topic, String key, String value, List<Header> headers) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        headers.forEach(record.headers()::add);
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("send to " + topic + " failed", e);
        }
    }

    /** A service that may produce on {@code topic}. */
    public static String producerOf(String topic) {
        return EventProducers.producers(topic).stream()
                .sorted()
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no cell member produces on " + topic));
    }

    /**
     * A producer for a test class's live events, once the gateway's consumer has its partitions: awaited while
     * {@code ready} (the class's own flag: the application may have restarted between test classes) is false.
     */
    public static LiveKafka connect(String bootstrap, LiveEventsUseCase liveEvents, AtomicBoolean ready)
            throws Exception {
        LiveKafka kafka = new LiveKafka(bootstrap);
        if (!ready.get()) {
            kafka.awaitConsumerReady(liveEvents);
            ready.set(true);
        }
        return kafka;
    }

    /** Publishes probe events on every live topic until the gateway has seen one from each (its group starts at latest). */
    public void awaitConsumerReady(LiveEventsUseCase liveEvents) throws Exception {
        String tenant = "t-warmup-" + UUID.randomUUID();
        Set<EventChannel> seen = ConcurrentHashMap.newKeySet();
        try (AutoCloseable sub = liveEvents.subscribe(
                tenant, EnumSet.allOf(EventChannel.class), null, (LiveEvent e) -> seen.add(e.channel()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.size() < EventChannel.values().length && System.nanoTime() < deadline) {
                for (EventChannel channel : EventChannel.values()) {
                    if (!seen.contains(channel)) {
                        send(
                                channel.topic(),
                                tenant,
                                event(UUID.randomUUID().toString(), "dev.devloop.test.probe", tenant, "{}"));
                    }
                }
                Thread.sleep(300);
            }
            if (seen.size() < EventChannel.values().length) {
                throw new IllegalStateException("the live-event consumer never saw channels other than " + seen);
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
