package dev.devloop.agent.adapters.in.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for the consumer tests: a producer as an outside client, and readers of a topic. */
final class KafkaRecords {
    private final String bootstrap;

    KafkaRecords(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    void send(String topic, String key, String value, List<Header> headers) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, null, key, value, headers))
                    .get();
        }
    }

    /**
     * A reader of {@code topic} from its current end, already holding its partitions: they are assigned and the end
     * positions resolved before anything is produced, so nothing produced after is missed (no consumer group to join).
     */
    KafkaConsumer<String, String> consumer(String topic) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("enable.auto.commit", "false");
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        // a topic no one has written to yet is created by the first metadata request (auto-create is on)
        while (partitions.isEmpty() && System.nanoTime() < deadline) {
            consumer.partitionsFor(topic, Duration.ofSeconds(5))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    /**
     * Sends the record to {@code topic} and returns the {@code dead-letter-reason} of its one copy (the value
     * containing {@code marker}) on {@code deadLetterTopic}.
     */
    String deadLetterReason(
            String topic, String deadLetterTopic, String key, String marker, String value, List<Header> headers)
            throws Exception {
        try (KafkaConsumer<String, String> dlq = consumer(deadLetterTopic)) {
            send(topic, key, value, headers);
            List<String> reasons = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && reasons.isEmpty()) {
                for (ConsumerRecord<String, String> r : dlq.poll(Duration.ofMillis(300))) {
                    if (r.value() != null && r.value().contains(marker)) {
                        var reason = r.headers().lastHeader("dead-letter-reason");
                        reasons.add(reason == null ? "" : new String(reason.value(), StandardCharsets.UTF_8));
                    }
                }
            }
            assertThat(reasons).hasSize(1);
            return reasons.get(0);
        }
    }
}
