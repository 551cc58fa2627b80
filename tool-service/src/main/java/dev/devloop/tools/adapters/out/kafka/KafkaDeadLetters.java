package dev.devloop.tools.adapters.out.kafka;

import dev.devloop.tools.ports.out.DeadLetterPort;
import dev.devloop.tools.ports.out.DownstreamException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The dead-letter port on the plain Kafka clients: a short-lived consumer per call, assigned (never subscribed, so no
 * rebalance) and committing for the replay group, and one idempotent {@code acks=all} producer of raw bytes, so keys,
 * values and headers travel unchanged. Both start from the service's whole Kafka configuration (every {@code kafka.*}
 * property, as Quarkus hands it to its own clients: bootstrap servers, security protocol, SASL, trust store) and add
 * their own settings on top, so they reach a secured cluster exactly as the messaging channels do.
 */
public final class KafkaDeadLetters implements DeadLetterPort, AutoCloseable {
    private static final Duration API_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(200);
    private final Map<String, Object> broker;
    private volatile KafkaProducer<byte[], byte[]> producer;

    /** {@code broker}: the Kafka client configuration without the {@code kafka.} prefix (Quarkus' default broker map). */
    public KafkaDeadLetters(Map<String, Object> broker) {
        this.broker = Map.copyOf(broker);
    }

    @Override
    public Map<Integer, Long> endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(null)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions); // a read_committed offset lookup updates assigned partitions only
            Map<Integer, Long> end = new HashMap<>();
            consumer.endOffsets(partitions, API_TIMEOUT).forEach((tp, offset) -> end.put(tp.partition(), offset));
            return end;
        } catch (KafkaException e) {
            throw failure("reading the end offsets of " + topic, e);
        }
    }

    @Override
    public Map<Integer, Long> positions(String topic, String group) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(group)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed =
                    consumer.committed(new HashSet<>(partitions), API_TIMEOUT);
            Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions, API_TIMEOUT);
            Map<Integer, Long> positions = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = committed.get(tp);
                long start = first.getOrDefault(tp, 0L);
                // records below the log start were deleted by retention: resume at the first one that exists
                positions.put(tp.partition(), c == null ? start : Math.max(c.offset(), start));
            }
            return positions;
        } catch (KafkaException e) {
            throw failure("reading the offsets of group " + group + " on " + topic, e);
        }
    }

    @Override
    public List<Letter> read(
            String topic,
            Map<Integer, Long> from,
            Map<Integer, Long> until,
            int maxRecords,
            long maxBytes,
            long timeoutMs) {
        List<Letter> letters = new ArrayList<>();
        Map<TopicPartition, Long> ends = new HashMap<>();
        until.forEach((partition, end) -> {
            long start = from.getOrDefault(partition, 0L);
            if (start < end) {
                ends.put(new TopicPartition(topic, partition), end);
            }
        });
        if (ends.isEmpty() || maxRecords <= 0) {
            return letters;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long bytes = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(null)) {
            consumer.assign(ends.keySet());
            ends.keySet().forEach(tp -> consumer.seek(tp, from.getOrDefault(tp.partition(), 0L)));
            Set<TopicPartition> open = new HashSet<>(ends.keySet());
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (!open.contains(tp) || r.offset() >= ends.get(tp)) {
                        continue;
                    }
                    Letter letter = letter(r);
                    if (letters.size() >= maxRecords || (!letters.isEmpty() && bytes + letter.size() > maxBytes)) {
                        return letters;
                    }
                    letters.add(letter);
                    bytes += letter.size();
                }
                // a partition is done once the consumer is past the snapshot (offsets may have gaps: compaction)
                open.removeIf(tp -> consumer.position(tp, API_TIMEOUT) >= ends.get(tp));
                consumer.pause(
                        ends.keySet().stream().filter(tp -> !open.contains(tp)).toList());
            }
            return letters;
        } catch (KafkaException e) {
            throw failure("reading " + topic, e);
        }
    }

    private static Letter letter(ConsumerRecord<byte[], byte[]> r) {
        List<Header> headers = new ArrayList<>();
        r.headers().forEach(h -> headers.add(new Header(h.key(), h.value())));
        return new Letter(r.partition(), r.offset(), r.key(), r.value(), headers);
    }

    @Override
    public void publish(List<Outgoing> records, long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        try {
            KafkaProducer<byte[], byte[]> p = producer();
            for (Outgoing o : records) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(o.topic(), null, o.key(), o.value());
                o.headers().forEach(h -> record.headers().add(new RecordHeader(h.key(), h.value())));
                acks.add(p.send(record));
            }
            p.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownstreamException("interrupted while waiting for Kafka's acknowledgements");
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw failure("publishing " + records.size() + " records", e);
        }
    }

    @Override
    public void commit(String topic, String group, Map<Integer, Long> next) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        next.forEach((partition, offset) ->
                offsets.put(new TopicPartition(topic, partition), new OffsetAndMetadata(offset)));
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(group)) {
            consumer.assign(offsets.keySet());
            consumer.commitSync(offsets, API_TIMEOUT);
        } catch (KafkaException e) {
            throw failure("committing group " + group + " on " + topic, e);
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, API_TIMEOUT);
        List<TopicPartition> partitions = new ArrayList<>();
        if (infos != null) {
            infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        }
        return partitions;
    }

    private KafkaConsumer<byte[], byte[]> consumer(String group) {
        return new KafkaConsumer<>(
                consumerConfig(broker, group), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        KafkaProducer<byte[], byte[]> p = producer;
        if (p == null) {
            synchronized (this) {
                p = producer;
                if (p == null) {
                    p = new KafkaProducer<>(
                            producerConfig(broker), new ByteArraySerializer(), new ByteArraySerializer());
                    producer = p;
                }
            }
        }
        return p;
    }

    /** The broker configuration plus this adapter's consumer settings, which win over the broker's. */
    public static Map<String, Object> consumerConfig(Map<String, Object> broker, String group) {
        Map<String, Object> p = new HashMap<>(broker);
        // Quarkus defaults group.id to the application name: only the replay group's calls may join a group
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "devloop-dead-letters-" + UUID.randomUUID());
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        // reading a topic that does not exist must not create it
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis());
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis());
        return p;
    }

    /** The broker configuration plus this adapter's producer settings (idempotent, {@code acks=all}), which win. */
    public static Map<String, Object> producerConfig(Map<String, Object> broker) {
        Map<String, Object> c = new HashMap<>(broker);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, "devloop-dead-letter-replay");
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return c;
    }

    private static DownstreamException failure(String what, Exception e) {
        return new DownstreamException(what + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    @Override
    public void close() {
        KafkaProducer<byte[], byte[]> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }
}
