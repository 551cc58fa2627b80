package dev.devloop.knowledge.adapters.in.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Topics;
import dev.devloop.knowledge.support.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 against the real broker and stores: once the drain has run (what {@code ShutdownEvent} does, before the
 * stores close), a valid event and a poison one are neither applied nor dead-lettered, and the group's committed
 * offset stays on the first of them, so the next consumer of the group receives both again. Before it, a poison
 * event still reaches the dead-letter topic through the same failure strategy. The channel reads a topic of its own
 * ({@link PrivateTopics}, shared with {@link SignaturesOffEventsTest}, which runs before) so no other test's events
 * are touched.
 */
@QuarkusTest
@TestProfile(PrivateTopics.class)
class StoppingConsumersTest {
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String TOPIC = PrivateTopics.FACTS;
    static final String DLQ = Topics.deadLetter(TOPIC);
    static final String GROUP = PrivateTopics.GROUP;
    static final String BOOTSTRAP = System.getenv().getOrDefault("DEVLOOP_KAFKA_BOOTSTRAP", "127.0.0.1:9092");

    @Inject
    ConsumerDrain drain;

    private final String tenant = "t-" + UUID.randomUUID();

    private String factEvent(String id, String entity) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/test\","
                + "\"type\":\"dev.devloop.knowledge.fact.write\",\"time\":\"2026-12-04T10:00:00Z\","
                + "\"datacontenttype\":\"application/json\",\"tenant\":\"" + tenant + "\","
                + "\"data\":{\"entity\":\"" + entity + "\",\"attribute\":\"a\",\"value\":1,\"ttlSeconds\":600}}";
    }

    @Test
    void afterTheDrainEventsAreNeitherAppliedNorDeadLetteredAndStayUncommitted() throws Exception {
        KafkaTestClient.send(TOPIC, "k", "poison-before-" + RUN);
        assertThat(KafkaTestClient.await(DLQ, v -> v.equals("poison-before-" + RUN), Duration.ofSeconds(60)))
                .isTrue();
        KafkaTestClient.send(TOPIC, "k", factEvent(UUID.randomUUID().toString(), "before"));
        awaitStatus("before", 200, Duration.ofSeconds(60));
        long handled = endOffsets();
        awaitCommitted(handled, Duration.ofSeconds(30));

        assertThat(drain.stop()).isTrue();
        String after = UUID.randomUUID().toString();
        KafkaTestClient.send(TOPIC, "k", factEvent(after, "after"));
        KafkaTestClient.send(TOPIC, "k", "poison-after-" + RUN);
        assertThat(endOffsets()).isEqualTo(handled + 2);

        // three commit intervals: had either record been acknowledged, its offset would be committed by now
        Thread.sleep(3 * PrivateTopics.COMMIT_INTERVAL.toMillis());
        given().header(Headers.TENANT, tenant)
                .get("/facts/{e}/a", "after")
                .then()
                .statusCode(404);
        // this test's records only: the profile's other test dead-letters a forged record of its own here too
        assertThat(KafkaTestClient.upToNow(DLQ, Duration.ofSeconds(30)))
                .extracting(r -> r.value())
                .filteredOn(v -> v.contains(RUN) || v.contains(after))
                .containsExactly("poison-before-" + RUN);
        assertThat(committed()).isEqualTo(handled);
    }

    private void awaitStatus(String entity, int status, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            if (given().header(Headers.TENANT, tenant)
                            .get("/facts/{e}/a", entity)
                            .statusCode()
                    == status) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(entity + " never answered " + status);
    }

    private void awaitCommitted(long offsets, Duration within) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            if (committed() == offsets) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the group never committed " + offsets + " (has " + committed() + ")");
    }

    /** The group's committed offsets, summed over the topic's partitions. */
    private static long committed() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get();
            return offsets.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(TOPIC) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset())
                    .sum();
        }
    }

    /** Records written to the topic so far, over all its partitions. */
    private static long endOffsets() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition()))
                    .toList();
            return consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }
}
