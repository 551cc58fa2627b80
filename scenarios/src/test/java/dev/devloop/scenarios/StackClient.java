package dev.devloop.scenarios;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What a scenario does as a client of the stack: calls through the gateway, waits for states and events. */
final class StackClient {
    static final String KAFKA = System.getenv().getOrDefault("DEVLOOP_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DevloopStack stack;

    StackClient(DevloopStack stack) {
        this.stack = stack;
    }

    RequestSpecification gateway(String token) {
        return given().baseUri(stack.service("api-gateway").url()).header("Authorization", "Bearer " + token);
    }

    /** Polls {@code path} through the gateway until it answers 200 with a body that {@code holds}. */
    JsonPath eventually(String token, String path, Predicate<JsonPath> holds, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String last = "none";
        while (System.nanoTime() < deadline) {
            var response = gateway(token).get(path).then().extract();
            if (response.statusCode() == 200 && holds.test(response.jsonPath())) {
                return response.jsonPath();
            }
            last = response.statusCode() + " " + response.asString();
            Thread.sleep(300);
        }
        throw new AssertionError(path + " did not reach the expected state in " + seconds + " s; last: " + last);
    }

    /** A consumer assigned to every partition of {@code topic} at its end, so nothing produced later is missed. */
    static KafkaConsumer<String, String> consumerAtEnd(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    /** Collects the tenant's CloudEvents from {@code consumer} into {@code seen} until {@code holds}. */
    static List<JsonNode> awaitEvents(
            KafkaConsumer<String, String> consumer,
            String tenant,
            List<JsonNode> seen,
            Predicate<List<JsonNode>> holds,
            Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
                JsonNode event = JSON.readTree(record.value());
                if (tenant.equals(event.path("tenant").asText())) {
                    seen.add(event);
                }
            }
            if (holds.test(seen)) {
                return seen;
            }
        }
        throw new AssertionError("the expected events did not arrive within " + timeout + "; got " + types(seen));
    }

    static List<String> types(List<JsonNode> events) {
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.path("type").asText()
                + (e.path("data").has("action")
                        ? ":" + e.path("data").path("action").asText()
                        : "")));
        return types;
    }
}
