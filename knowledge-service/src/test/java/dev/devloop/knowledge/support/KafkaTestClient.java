package dev.devloop.knowledge.support;

import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.testing.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A plain Kafka client for tests: sends string records — signed as a real producer of the topic, as the cell does
 * — and waits for one on a topic.
 */
public final class KafkaTestClient {
    private static final String BOOTSTRAP = System.getenv().getOrDefault("DEVLOOP_KAFKA_BOOTSTRAP", "127.0.0.1:9092");

    /** A service that really produces each consumed topic (docs/design.md §3), signing the tests' records. */
    private static final Map<String, String> PRODUCERS = Map.of(
            Topics.KNOWLEDGE_FACTS, "agent-service",
            Topics.AGENT_LIFECYCLE, "agent-service",
            Topics.FORGE_EVENTS, "api-gateway",
            Topics.CACHE_INVALIDATION, "knowledge-service");

    /**
     * Sends a record signed as the topic's producer. {@code topic} may carry a prefix of its own (a test's private
     * topic, {@code <prefix>devloop.knowledge.facts}); the signature names the logical topic, as the consumer does.
     */
    public static void send(String topic, String key, String value) {
        String logical = logical(topic);
        send(topic, key, value, TestEvents.signedBy(PRODUCERS.get(logical), logical, value));
    }

    /** Sends a record with no signature and no grant. */
    public static void sendUnsigned(String topic, String key, String value) {
        send(topic, key, value, List.of());
    }

    /** The logical topic ({@code Topics} constant) a possibly prefixed topic name ends with. */
    public static String logical(String topic) {
        return PRODUCERS.keySet().stream()
                .filter(t -> topic.equals(t) || topic.endsWith("." + t) || topic.endsWith("-" + t))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no test producer for topic " + topic));
    }

    /** Sends a record with exactly these headers, and waits for the broker's acknowledgement. */
    public static void send(String topic, String key, String value, List<Header> headers) {
        try {
            Producer.INSTANCE
                    .send(new ProducerRecord<>(topic, null, key, value, headers))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /**
     * One producer per test class loader: a producer per record paid a connection and a metadata round trip each
     * time, over the ~45 records the Kafka tests send. It is never closed: every send waited for its acknowledgement,
     * and its network thread is a daemon.
     */
    private static final class Producer {
        static final KafkaProducer<String, String> INSTANCE = create();

        private static KafkaProducer<String, String> create() {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            return new KafkaProducer<>(props);
        }
    }

    /** True when a record whose value matches appears on the topic within {@code within}. */
    public static boolean await(String topic, Predicate<String> match, Duration within) {
        return !collect(topic, r -> r.value() != null && match.test(r.value()), l -> !l.isEmpty(), within)
                .isEmpty();
    }

    /**
     * The records of the topic (from the earliest offset) that {@code keep} accepts, read until {@code enough} holds
     * for them or {@code within} has passed.
     */
    public static List<ConsumerRecord<String, String>> collect(
            String topic,
            Predicate<ConsumerRecord<String, String>> keep,
            Predicate<List<ConsumerRecord<String, String>>> enough,
            Duration within) {
        Instant deadline = Instant.now().plus(within);
        List<ConsumerRecord<String, String>> kept = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = fromTheStart(topic, deadline)) {
            while (Instant.now().isBefore(deadline) && !enough.test(kept)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value() != null && keep.test(record)) {
                        kept.add(record);
                    }
                }
            }
        }
        return kept;
    }

    /**
     * Every record on the topic up to its end offsets at the time of the call: what has been written so far, with no
     * wait for more (a test that checks nothing else arrived waits for its own reason first, then reads this).
     */
    public static List<ConsumerRecord<String, String>> upToNow(String topic, Duration within) {
        Instant deadline = Instant.now().plus(within);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = fromTheStart(topic, deadline)) {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (!Instant.now().isBefore(deadline)) {
                    throw new AssertionError("could not read " + topic + " up to " + end + " within " + within);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    /**
     * A reader holding every partition of the topic from its earliest offset. The partitions are assigned, not
     * subscribed to: no consumer group to join (a join per read added up across the Kafka tests).
     */
    private static KafkaConsumer<String, String> fromTheStart(String topic, Instant deadline) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        // a topic no one has written to yet is created by this first metadata request (auto-create is on)
        List<TopicPartition> partitions = List.of();
        while (partitions.isEmpty() && Instant.now().isBefore(deadline)) {
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
        }
        if (partitions.isEmpty()) {
            consumer.close();
            throw new AssertionError("topic " + topic + " has no partitions");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private KafkaTestClient() {}
}
