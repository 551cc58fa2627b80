package dev.devloop.gateway.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.contracts.events.testing.TestEvents;
import dev.devloop.contracts.identity.ServiceKeys;
import dev.devloop.contracts.identity.testing.TestCredentials;
import dev.devloop.gateway.application.LiveEventsService;
import dev.devloop.gateway.domain.WebhookDelivery;
import dev.devloop.gateway.domain.WebhookSignature;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.LiveKafka;
import dev.devloop.gateway.support.SseClient;
import dev.devloop.gateway.support.Tokens;
import dev.devloop.gateway.support.WebhookReceiver;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook registration (SSRF rules, roles, tenants) on the real MongoDB, and signed deliveries through the real Kafka:
 * live records reach webhooks (and SSE) only when signed by their topic's producer, and delivery records only when
 * queued by the gateway itself.
 */
@QuarkusTest
@QuarkusTestResource(AgentServiceStub.class)
class WebhooksTest {
    private static final String FINISHED = "dev.devloop.agent.run.finished";
    private static final String SECRET = "test-secret-" + UUID.randomUUID();
    private static final AtomicBoolean CONSUMER_READY = new AtomicBoolean();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.webhook-deliveries.group.id")
    String deliveriesGroup;

    @Inject
    LiveEventsService liveEvents;

    @Inject
    MeterRegistry meters;

    @TestHTTPResource("/api/v1/events")
    URL events;

    private LiveKafka kafka;
    private final String tenant = Tokens.newTenant();
    private final String operator = Tokens.valid(tenant, "operator");

    @BeforeEach
    void connect() throws Exception {
        kafka = LiveKafka.connect(bootstrap, liveEvents, CONSUMER_READY);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    void registerListDeleteWithinTheTenantOnly() {
        JsonPath created = given().auth()
                .oauth2(operator)
                .contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/hook", "eventTypes", List.of(FINISHED)))
                .when()
                .post("/api/v1/webhooks")
                .then()
                .statusCode(201)
                .header("Location", containsString("/api/v1/webhooks/wh-"))
                .body("secret", startsWith("whsec_"))
                .body("eventTypes", equalTo(List.of(FINISHED)))
                .extract()
                .jsonPath();
        String id = created.getString("id");

        given().auth()
                .oauth2(Tokens.valid(tenant, "viewer"))
                .when()
                .get("/api/v1/webhooks")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].id", equalTo(id))
                .body("items[0].secret", nullValue());
        String other = Tokens.valid(Tokens.newTenant(), "admin");
        given().auth()
                .oauth2(other)
                .when()
                .get("/api/v1/webhooks")
                .then()
                .statusCode(200)
                .body("items", hasSize(0));
        given().auth()
                .oauth2(other)
                .when()
                .delete("/api/v1/webhooks/" + id)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(other)
                .when()
                .get("/api/v1/webhooks/" + id + "/deliveries")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(Tokens.valid(tenant, "viewer"))
                .when()
                .delete("/api/v1/webhooks/" + id)
                .then()
                .statusCode(403);

        given().auth()
                .oauth2(operator)
                .when()
                .delete("/api/v1/webhooks/" + id)
                .then()
                .statusCode(204);
        given().auth().oauth2(operator).when().get("/api/v1/webhooks").then().body("items", hasSize(0));
        given().auth()
                .oauth2(operator)
                .when()
                .delete("/api/v1/webhooks/" + id)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(operator)
                .when()
                .delete("/api/v1/webhooks/not-an-id")
                .then()
                .statusCode(400)
                .body("field", equalTo("id"));
    }

    @Test
    void unsafeUrlsAndBadInputAreRefusedNamingTheField() {
        for (String url : List.of(
                "http://169.254.169.254/latest/meta-data",
                "http://10.0.0.1/hook",
                "http://localhost:8080/hook",
                "ftp://127.0.0.1/hook",
                "http://[::1]/hook")) {
            given().auth()
                    .oauth2(operator)
                    .contentType(ContentType.JSON)
                    .body(Map.of("url", url, "eventTypes", List.of(FINISHED)))
                    .when()
                    .post("/api/v1/webhooks")
                    .then()
                    .statusCode(400)
                    .body("field", equalTo("url"));
        }
        given().auth()
                .oauth2(operator)
                .contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/hook", "eventTypes", List.of()))
                .when()
                .post("/api/v1/webhooks")
                .then()
                .statusCode(400)
                .body("field", equalTo("eventTypes"));
        given().auth()
                .oauth2(operator)
                .contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/hook", "eventTypes", List.of(FINISHED), "secret", "short"))
                .when()
                .post("/api/v1/webhooks")
                .then()
                .statusCode(400)
                .body("field", equalTo("secret"));
        given().auth()
                .oauth2(Tokens.valid(tenant, "viewer"))
                .contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/hook", "eventTypes", List.of(FINISHED)))
                .when()
                .post("/api/v1/webhooks")
                .then()
                .statusCode(403);
    }

    @Test
    void aMatchingEventIsDeliveredSignedAfterTwoFailuresAndOnlyOnce() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(2, 500)) {
            String id = register(receiver.url());
            String eventId = UUID.randomUUID().toString();
            String event = LiveKafka.event(eventId, FINISHED, tenant, "{\"runId\":\"r-1\",\"status\":\"COMPLETED\"}");
            kafka.send(
                    Topics.AGENT_LIFECYCLE,
                    "ag-1",
                    LiveKafka.event(UUID.randomUUID().toString(), "dev.devloop.agent.spawned", tenant, "{}"));
            kafka.send(
                    Topics.AGENT_RESULTS,
                    Tokens.newTenant(),
                    LiveKafka.event(UUID.randomUUID().toString(), FINISHED, Tokens.newTenant(), "{}"));
            kafka.send(Topics.AGENT_RESULTS, tenant, event);

            await(() -> receiver.received().size() >= 3);
            await(() -> deliveries(id).size() == 3);
            for (WebhookReceiver.Received request : receiver.received()) {
                assertThat(request.body()).isEqualTo(event);
                assertThat(request.headers())
                        .containsEntry("Devloop-Event-Id", eventId)
                        .containsEntry("Devloop-Event-Type", FINISHED);
                assertThat(request.headers())
                        .as("a webhook leaves the cell: it never carries a service token")
                        .doesNotContainKey("Authorization");
                String[] parts = request.headers().get("Devloop-Signature").split(",");
                String t = parts[0].substring(2);
                assertThat(parts[1]).isEqualTo("v1=" + WebhookSignature.hmacHex(SECRET, t + "." + request.body()));
            }
            List<Map<String, Object>> log = deliveries(id);
            assertThat(log)
                    .extracting(m -> m.get("attempt") + ":" + m.get("outcome") + ":" + m.get("httpStatus"))
                    .containsExactlyInAnyOrder("1:RETRY_SCHEDULED:500", "2:RETRY_SCHEDULED:500", "3:DELIVERED:200");

            // the same event again is the same delivery: nothing more is sent
            int buffered = liveEvents.buffered(tenant);
            kafka.send(Topics.AGENT_RESULTS, tenant, event);
            await(() -> liveEvents.buffered(tenant) > buffered);
            Thread.sleep(2000);
            assertThat(receiver.received()).hasSize(3);
            assertThat(deliveries(id)).hasSize(3);
        }
    }

    @Test
    void aReceiverThatKeepsFailingIsDeadLetteredAfterTheLastAttempt() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(-1, 503);
                KafkaConsumer<String, String> dlq = dlqConsumer()) {
            String id = register(receiver.url());
            String eventId = UUID.randomUUID().toString();
            kafka.send(Topics.AGENT_RESULTS, tenant, LiveKafka.event(eventId, FINISHED, tenant, "{}"));

            List<String> dead = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (dead.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : dlq.poll(Duration.ofMillis(300))) {
                    if (record.value().contains(eventId)) {
                        assertThat(record.key()).isEqualTo(id);
                        dead.add(record.value());
                    }
                }
            }
            assertThat(dead).hasSize(1);
            // the dead letter is what a replay carries out: the first attempt of a new round
            assertThat(JsonPath.from(dead.get(0)).getInt("attempt")).isEqualTo(4);
            assertThat(receiver.received()).hasSize(3);
            await(() -> deliveries(id).size() == 3);
            assertThat(deliveries(id))
                    .extracting(m -> m.get("attempt") + ":" + m.get("outcome"))
                    .containsExactlyInAnyOrder("1:RETRY_SCHEDULED", "2:RETRY_SCHEDULED", "3:DEAD_LETTERED");
        }
    }

    @Test
    void aDeadLetterReplayedAsReplayDeadLettersDoesIsDeliveredOnceSignedEvenWhenReplayedTwice() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(-1, 503);
                KafkaConsumer<byte[], byte[]> dlq = rawDlqConsumer();
                KafkaProducer<byte[], byte[]> producer = rawProducer();
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            String id = register(receiver.url());
            String eventId = UUID.randomUUID().toString();
            String event = LiveKafka.event(eventId, FINISHED, tenant, "{\"runId\":\"r-2\"}");
            kafka.send(Topics.AGENT_RESULTS, tenant, event);

            ConsumerRecord<byte[], byte[]> dead = awaitDeadLetter(dlq, eventId);
            assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo(id);
            assertThat(header(dead, "dead-letter-topic"))
                    .as("where replay_dead_letters republishes it: <dlq topic> without .dlq")
                    .isEqualTo(Topics.WEBHOOK_DELIVERIES);
            assertThat(header(dead, "dead-letter-reason"))
                    .isEqualTo("attempt 3 (the last of 3 in its round) failed: receiver answered 503");
            assertThat(header(dead, EventSignatures.SIGNATURE_HEADER))
                    .as("signed for the deliveries topic, so the replay (headers but dead-letter-*) verifies there")
                    .isNotNull();
            JsonPath value = JsonPath.from(new String(dead.value(), StandardCharsets.UTF_8));
            assertThat(value.getString("tenant"))
                    .as("dead_letters shows it to its tenant")
                    .isEqualTo(tenant);
            assertThat(value.getInt("attempt")).isEqualTo(4);
            assertThat(receiver.received()).hasSize(3);
            await(() -> deliveries(id).size() == 3);

            receiver.heal();
            awaitProcessed(admin, replayAsTheToolDoes(producer, dead));
            await(() -> deliveries(id).size() == 4);
            assertThat(receiver.received()).hasSize(4);
            WebhookReceiver.Received replayed = receiver.received().get(3);
            assertThat(replayed.body()).isEqualTo(event);
            assertThat(replayed.headers())
                    .containsEntry("Devloop-Event-Id", eventId)
                    .containsEntry("Devloop-Delivery-Attempt", "4")
                    .containsEntry(
                            "Devloop-Delivery-Id",
                            receiver.received().get(0).headers().get("Devloop-Delivery-Id"));
            String[] parts = replayed.headers().get("Devloop-Signature").split(",");
            assertThat(parts[1])
                    .isEqualTo("v1=" + WebhookSignature.hmacHex(SECRET, parts[0].substring(2) + "." + event));

            // a second replay of the same dead letter is the same attempt: claimed once, nothing sent
            awaitProcessed(admin, replayAsTheToolDoes(producer, dead));
            assertThat(receiver.received()).hasSize(4);
            assertThat(deliveries(id))
                    .extracting(m -> m.get("attempt") + ":" + m.get("outcome"))
                    .containsExactlyInAnyOrder(
                            "1:RETRY_SCHEDULED", "2:RETRY_SCHEDULED", "3:DEAD_LETTERED", "4:DELIVERED");
        }
    }

    @Test
    void aLiveRecordForgedUnsignedOrFromTheWrongProducerReachesNeitherSseNorWebhooks() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(0, 200);
                SseClient sse = SseClient.open(events + "?channels=results", Tokens.valid(tenant, "viewer"), null)) {
            String id = register(receiver.url());
            await(() -> liveEvents.streams(tenant) == 1);
            double forged = refused("forged");
            double notAllowed = refused("not_allowed");
            double unsigned = refused("unsigned");

            // signed by agent-service for another tenant, then re-labelled with this tenant
            String othersEvent =
                    LiveKafka.event(UUID.randomUUID().toString(), FINISHED, Tokens.newTenant(), "{\"runId\":\"x\"}");
            String relabelled = othersEvent.replace(JsonPath.from(othersEvent).getString("tenant"), tenant);
            kafka.send(
                    Topics.AGENT_RESULTS,
                    tenant,
                    relabelled,
                    TestEvents.signedBy("agent-service", Topics.AGENT_RESULTS, othersEvent));
            // correctly signed, but by a service that does not produce results
            String byToolService = LiveKafka.event(UUID.randomUUID().toString(), FINISHED, tenant, "{}");
            kafka.send(
                    Topics.AGENT_RESULTS,
                    tenant,
                    byToolService,
                    TestEvents.signedBy("tool-service", Topics.AGENT_RESULTS, byToolService));
            // agent-service's signature for another topic
            String otherTopic = LiveKafka.event(UUID.randomUUID().toString(), FINISHED, tenant, "{}");
            kafka.send(
                    Topics.AGENT_RESULTS,
                    tenant,
                    otherTopic,
                    TestEvents.signedBy("agent-service", Topics.AGENT_LIFECYCLE, otherTopic));
            kafka.send(
                    Topics.AGENT_RESULTS,
                    tenant,
                    LiveKafka.event(UUID.randomUUID().toString(), FINISHED, tenant, "{}"),
                    List.of());
            // the same key, so the same partition: once this one is seen, the four before it were consumed
            String valid = LiveKafka.event(UUID.randomUUID().toString(), FINISHED, tenant, "{\"runId\":\"r-3\"}");
            kafka.send(Topics.AGENT_RESULTS, tenant, valid);

            List<SseClient.Event> seen = sse.take(1, Duration.ofSeconds(30));
            await(() -> receiver.received().size() >= 1 && deliveries(id).size() == 1);
            Thread.sleep(500);
            String validId = JsonPath.from(valid).getString("id");
            assertThat(concat(seen, sse.drain()))
                    .extracting(SseClient.Event::id)
                    .containsExactly(validId);
            assertThat(liveEvents.buffered(tenant)).isEqualTo(1);
            assertThat(receiver.received()).hasSize(1);
            assertThat(receiver.received().get(0).headers()).containsEntry("Devloop-Event-Id", validId);
            assertThat(refused("forged")).isGreaterThanOrEqualTo(forged + 2);
            assertThat(refused("not_allowed")).isGreaterThanOrEqualTo(notAllowed + 1);
            assertThat(refused("unsigned")).isGreaterThanOrEqualTo(unsigned + 1);
        }
    }

    @Test
    void aDeliveryRecordTheGatewayDidNotQueueIsDeadLetteredUnsent() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(0, 200);
                KafkaConsumer<byte[], byte[]> dlq = rawDlqConsumer();
                KafkaProducer<byte[], byte[]> producer = rawProducer()) {
            String id = register(receiver.url());
            String event = LiveKafka.event(UUID.randomUUID().toString(), FINISHED, tenant, "{}");
            String eventId = JsonPath.from(event).getString("id");
            WebhookDelivery delivery = new WebhookDelivery(
                    WebhookDelivery.idFor(id, eventId), id, tenant, eventId, FINISHED, 1, 1, 0L, event);
            String value = new ObjectMapper().writeValueAsString(delivery);

            // unsigned, then signed by a sibling that may not queue deliveries
            send(producer, value, List.of());
            ConsumerRecord<byte[], byte[]> unsignedDead = awaitDeadLetter(dlq, eventId);
            assertThat(header(unsignedDead, "dead-letter-reason")).contains("neither a devloop-signature");
            send(producer, value, signedDelivery("tool-service", tenant, delivery.deliveryId(), value));
            ConsumerRecord<byte[], byte[]> wrongProducer = awaitDeadLetter(dlq, eventId);
            // SmallRye's dead-letter queue keeps the record's own headers: a replay carries the same signature
            assertThat(header(wrongProducer, EventSignatures.SIGNATURE_HEADER)).isNotNull();
            assertThat(header(wrongProducer, "dead-letter-reason")).contains("tool-service may not produce");
            // the gateway's own signature over another tenant's delivery does not cover this one
            send(producer, value, signedDelivery("api-gateway", Tokens.newTenant(), delivery.deliveryId(), value));
            assertThat(header(awaitDeadLetter(dlq, eventId), "dead-letter-reason"))
                    .contains("tenant differ");
            assertThat(receiver.received()).isEmpty();
            assertThat(deliveries(id)).isEmpty();

            // signed as the gateway queues it: delivered
            send(producer, value, signedDelivery("api-gateway", tenant, delivery.deliveryId(), value));
            await(() -> receiver.received().size() == 1);
            assertThat(receiver.received().get(0).body()).isEqualTo(event);
        }
    }

    private void send(KafkaProducer<byte[], byte[]> producer, String value, List<Header> headers) throws Exception {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                Topics.WEBHOOK_DELIVERIES,
                tenant.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
        headers.forEach(record.headers()::add);
        producer.send(record).get();
    }

    /** A delivery record's signature header as {@code service} would sign it for {@code tenant} and delivery. */
    private static List<Header> signedDelivery(String service, String tenant, String deliveryId, String value) {
        String signature = new EventSignatures(
                        ServiceKeys.open(TestCredentials.keyDir(), service, true), "devloop-cell")
                .sign(Topics.WEBHOOK_DELIVERIES, tenant, deliveryId, value);
        return List.of(TestEvents.header(EventSignatures.SIGNATURE_HEADER, signature));
    }

    private double refused(String kind) {
        io.micrometer.core.instrument.Counter counter = meters.find("devloop.gateway.events.refused")
                .tags("topic", Topics.AGENT_RESULTS, "kind", kind)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static List<SseClient.Event> concat(List<SseClient.Event> a, List<SseClient.Event> b) {
        List<SseClient.Event> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** What tool-service's replay_dead_letters publishes: same key and value, headers minus dead-letter-*. */
    private static RecordMetadata replayAsTheToolDoes(
            KafkaProducer<byte[], byte[]> producer, ConsumerRecord<byte[], byte[]> dead) throws Exception {
        ProducerRecord<byte[], byte[]> replay =
                new ProducerRecord<>(header(dead, "dead-letter-topic"), dead.key(), dead.value());
        for (Header h : dead.headers()) {
            if (!h.key().startsWith("dead-letter-")) {
                replay.headers().add(h);
            }
        }
        replay.headers()
                .add(
                        "devloop-replayed-from",
                        (dead.topic() + "/" + dead.partition() + "/" + dead.offset()).getBytes(StandardCharsets.UTF_8));
        return producer.send(replay).get();
    }

    /** Waits until the gateway's delivery consumer group committed past {@code sent}: the record was processed. */
    private void awaitProcessed(Admin admin, RecordMetadata sent) throws InterruptedException {
        TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
        await(() -> {
            try {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(deliveriesGroup)
                        .partitionsToOffsetAndMetadata()
                        .get()
                        .get(partition);
                return committed != null && committed.offset() > sent.offset();
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static ConsumerRecord<byte[], byte[]> awaitDeadLetter(KafkaConsumer<byte[], byte[]> dlq, String eventId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : dlq.poll(Duration.ofMillis(300))) {
                if (new String(record.value(), StandardCharsets.UTF_8).contains(eventId)) {
                    return record;
                }
            }
        }
        throw new AssertionError("no dead letter for event " + eventId + " within 60 s");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private KafkaConsumer<byte[], byte[]> rawDlqConsumer() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", "webhooks-test-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(Topics.deadLetter(Topics.WEBHOOK_DELIVERIES)));
        return consumer;
    }

    private KafkaProducer<byte[], byte[]> rawProducer() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        props.put("acks", "all");
        return new KafkaProducer<>(props);
    }

    private String register(String url) {
        return given().auth()
                .oauth2(operator)
                .contentType(ContentType.JSON)
                .body(Map.of("url", url, "eventTypes", List.of(FINISHED), "secret", SECRET))
                .when()
                .post("/api/v1/webhooks")
                .then()
                .statusCode(201)
                .body("secret", equalTo(SECRET))
                .extract()
                .path("id");
    }

    private List<Map<String, Object>> deliveries(String id) {
        return given().auth()
                .oauth2(operator)
                .when()
                .get("/api/v1/webhooks/" + id + "/deliveries")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    private KafkaConsumer<String, String> dlqConsumer() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", "webhooks-test-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(Topics.deadLetter(Topics.WEBHOOK_DELIVERIES)));
        return consumer;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(100);
        }
    }
}
