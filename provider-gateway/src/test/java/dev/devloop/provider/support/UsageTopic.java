package dev.devloop.provider.support;

import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.contracts.events.EventGate;
import dev.devloop.contracts.events.KafkaEvents;
import dev.devloop.contracts.events.UsageBatches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code devloop.provider.usage} as a consumer of the cell does: every record through contracts' {@link
 * EventGate}, each usage batch expanded with {@link UsageBatches#expand}. Opened before the calls it should see
 * (positioned at the end of every partition), so a long-lived broker's backlog is never read.
 */
public final class UsageTopic implements AutoCloseable {
    /** One accepted batch record: its Kafka key, the producer the gate verified, the batch and its expansion. */
    public record Batch(String key, String producer, CloudEvent event, List<CloudEvent> records) {}

    private final KafkaConsumer<String, String> consumer;
    private final EventGate gate;

    public UsageTopic(String bootstrap, EventGate gate) {
        this.gate = gate;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.PROVIDER_USAGE, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "the end" now, before the calls
    }

    /** Polls (at most {@code max}) until the batches keyed by one of {@code tenants} satisfy {@code done}. */
    public List<Batch> until(Set<String> tenants, Predicate<List<Batch>> done, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        List<Batch> mine = new ArrayList<>();
        while (!done.test(mine) && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                if (tenants.contains(r.key())) {
                    EventGate.Accepted accepted =
                            KafkaEvents.accept(gate, Topics.PROVIDER_USAGE, r, CloudEventCodec.Limits.DEFAULT);
                    Batch batch = new Batch(
                            r.key(), accepted.producer(), accepted.event(), UsageBatches.expand(accepted.event()));
                    mine.add(batch);
                }
            }
        }
        return mine;
    }

    /** The expanded usage events of {@code batches} whose tenant is {@code tenant}. */
    public static List<CloudEvent> records(List<Batch> batches, String tenant) {
        return batches.stream()
                .filter(b -> b.key().equals(tenant))
                .flatMap(b -> b.records().stream())
                .toList();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
