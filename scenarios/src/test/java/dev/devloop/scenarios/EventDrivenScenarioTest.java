package dev.devloop.scenarios;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The event-driven job of docs/design.md §6: an external producer (a plain Kafka client, not our code) writes a
 * task to {@code devloop.agent.tasks}; the run's result lands on {@code devloop.agent.results} and reaches
 * the tenant's registered webhook, signed with HMAC-SHA256. A redelivered task is not run twice.
 */
@ExtendWith(SharedStack.Join.class)
class EventDrivenScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KAFKA = System.getenv().getOrDefault("DEVLOOP_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    private static final String MONGO = System.getenv().getOrDefault("DEVLOOP_MONGO_URL", "mongodb://127.0.0.1:27017");
    private static final String TASKS = "devloop.agent.tasks";
    private static final String RESULTS = "devloop.agent.results";

    private static WireMockServer receiver;
    private static TestTokens tokens;
    private static DevloopStack stack;

    @BeforeAll
    static void joinTheSharedStack(SharedStack shared) {
        tokens = shared.tokens;
        stack = shared.stack;
        receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        receiver.stubFor(
                post(urlPathEqualTo("/hooks/devloop")).willReturn(aResponse().withStatus(204)));
    }

    @AfterAll
    static void stopTheReceiver() {
        if (receiver != null) {
            receiver.stop();
        }
    }

    @Test
    void aTaskFromKafkaEndsAsAResultOnKafkaAndASignedWebhook() throws Exception {
        String tenant = "events-" + UUID.randomUUID().toString().substring(0, 8);
        String gateway = stack.service("api-gateway").url();
        String token = tokens.token(tenant, "operator");

        var webhook = given().baseUri(gateway)
                .header("Authorization", "Bearer " + token)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "url",
                        "http://127.0.0.1:" + receiver.port() + "/hooks/devloop",
                        "eventTypes",
                        List.of("dev.devloop.agent.run.finished")))
                .when()
                .post("/api/v1/webhooks")
                .then()
                .statusCode(201)
                .extract();
        String webhookId = webhook.path("id");
        String secret = webhook.path("secret");

        String taskId = "task-" + UUID.randomUUID();
        String markerId = "task-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> results = resultsConsumer();
                KafkaTasks producer = KafkaTasks.granted(gateway, tokens.token(tenant, "admin"), KAFKA, TASKS)) {
            // the same task twice (an at-least-once producer retrying), then a second task behind it on the
            // same partition (same key): once the second is answered, the duplicate has surely been consumed
            producer.send(tenant, task(taskId, tenant, "Remember that the build server is healthy"));
            producer.send(tenant, task(taskId, tenant, "Remember that the build server is healthy"));
            producer.send(tenant, task(markerId, tenant, "And remember it again"));

            JsonNode result = awaitResult(results, tenant, taskId, Duration.ofSeconds(150));
            assertThat(result.path("type").asText()).isEqualTo("dev.devloop.agent.run.finished");
            assertThat(result.path("data").path("status").asText()).isEqualTo("COMPLETED");
            assertThat(result.path("data").path("result").asText()).isEqualTo(OpenAiStub.FINAL_ANSWER);
            assertThat(result.path("data").path("steps").asInt()).isEqualTo(3);
            awaitResult(results, tenant, markerId, Duration.ofSeconds(150));

            try (MongoClient mongo = MongoClients.create(MONGO)) {
                long runs = mongo.getDatabase("devloop_agents")
                        .getCollection("runs")
                        .countDocuments(Filters.and(Filters.eq("tenant", tenant), Filters.eq("taskId", taskId)));
                assertThat(runs).as("runs for a task delivered twice").isEqualTo(1);
            }

            String runId = result.path("data").path("runId").asText();
            LoggedRequest delivery = awaitDelivery(runId, Duration.ofSeconds(60));
            String body = delivery.getBodyAsString();
            assertThat(JSON.readTree(body).path("data").path("runId").asText()).isEqualTo(runId);
            assertThat(JSON.readTree(body).path("tenant").asText()).isEqualTo(tenant);
            assertThat(delivery.getHeader("Devloop-Event-Type")).isEqualTo("dev.devloop.agent.run.finished");
            assertSignedWith(secret, delivery.getHeader("Devloop-Signature"), body);

            // the outcome is recorded right after the receiver answered
            List<String> outcomes = List.of();
            for (int i = 0; i < 100 && !outcomes.contains("DELIVERED"); i++) {
                outcomes = given().baseUri(gateway)
                        .header("Authorization", "Bearer " + token)
                        .when()
                        .get("/api/v1/webhooks/" + webhookId + "/deliveries")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("items.outcome");
                Thread.sleep(100);
            }
            assertThat(outcomes).as("delivery log of " + webhookId).contains("DELIVERED");
        }
    }

    private static void assertSignedWith(String secret, String header, String body) throws Exception {
        assertThat(header).as("Devloop-Signature").matches("t=\\d+,v1=[0-9a-f]{64}");
        String t = header.substring(2, header.indexOf(','));
        String v1 = header.substring(header.indexOf("v1=") + 3);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        assertThat(v1).as("HMAC-SHA256(secret, t.body)").isEqualTo(expected);
    }

    private static LoggedRequest awaitDelivery(String runId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<LoggedRequest> hit = receiver
                    .findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                            urlPathEqualTo("/hooks/devloop")))
                    .stream()
                    .filter(r -> r.getBodyAsString().contains(runId))
                    .findFirst();
            if (hit.isPresent()) {
                return hit.get();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no webhook delivery for run " + runId + " within " + timeout);
    }

    /** Every result seen so far: one poll can bring several, and a later wait may want one already read. */
    private static final List<ConsumerRecord<String, String>> SEEN = new java.util.ArrayList<>();

    private static JsonNode awaitResult(
            KafkaConsumer<String, String> consumer, String tenant, String taskId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            for (ConsumerRecord<String, String> record : SEEN) {
                JsonNode event = JSON.readTree(record.value());
                if (tenant.equals(event.path("tenant").asText())
                        && taskId.equals(event.path("data").path("taskId").asText())) {
                    assertThat(record.key()).as("results are keyed by tenant").isEqualTo(tenant);
                    return event;
                }
            }
            consumer.poll(Duration.ofMillis(500)).forEach(SEEN::add);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no result for task " + taskId + " on " + RESULTS + " within " + timeout);
    }

    private static String task(String id, String tenant, String input) throws Exception {
        return JSON.writeValueAsString(Map.of(
                "specversion",
                "1.0",
                "id",
                id,
                "source",
                "urn:scenario:external-producer",
                "type",
                "dev.devloop.agent.task",
                "time",
                java.time.Instant.now().toString(),
                "tenant",
                tenant,
                "datacontenttype",
                "application/json",
                "data",
                Map.of("agentType", "assistant", "input", input)));
    }

    /** Assigned to every partition at the end, before anything is produced, so no result can be missed. */
    private static KafkaConsumer<String, String> resultsConsumer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA);
        p.put("enable.auto.commit", "false");
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(RESULTS).stream()
                .map(info -> new TopicPartition(RESULTS, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}
