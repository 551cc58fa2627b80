package dev.devloop.agent.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads CloudEvents (with their record keys) from real Kafka topics, from the moment it was opened. */
public final class KafkaProbe implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KafkaConsumer<String, String> consumer;
    private final List<Keyed> seen = new ArrayList<>();

    /** One event and the key it was produced with. */
    public record Keyed(String key, String topic, JsonNode event) {}

    public KafkaProbe(String bootstrap, String... topics) {
        Properties admin = new Properties();
        admin.put("bootstrap.servers", bootstrap);
        // a topic nothing has written to yet is created first, so the subscription sees it from the start
        try (org.apache.kafka.clients.admin.Admin client = org.apache.kafka.clients.admin.Admin.create(admin)) {
            java.util.Set<String> existing = client.listTopics().names().get();
            List<org.apache.kafka.clients.admin.NewTopic> missing = java.util.Arrays.stream(topics)
                    .filter(t -> !existing.contains(t))
                    .map(t -> new org.apache.kafka.clients.admin.NewTopic(
                            t, java.util.Optional.empty(), java.util.Optional.empty()))
                    .toList();
            if (!missing.isEmpty()) {
                client.createTopics(missing).all().get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IllegalStateException(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("enable.auto.commit", "false");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        // the partitions are assigned, not subscribed to: no consumer group to join before the test can go on
        List<TopicPartition> partitions = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (String topic : topics) {
            List<TopicPartition> of = List.of();
            while (of.isEmpty() && System.nanoTime() < deadline) {
                of = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
            }
            partitions.addAll(of);
        }
        consumer.assign(partitions);
        // pin the current end, so nothing produced from now on is missed
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /**
     * Collects matching events (among all read so far, then new ones) until {@code wanted} arrived or
     * the timeout passed.
     */
    public List<Keyed> await(Predicate<Keyed> match, int wanted, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Keyed> found = seen.stream().filter(match).toList();
            if (found.size() >= wanted || System.nanoTime() > deadline) {
                return found;
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
                seen.add(new Keyed(r.key(), r.topic(), JSON.readTree(r.value())));
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
