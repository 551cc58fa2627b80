package dev.devloop.gateway.adapters.in.rest;

import static dev.devloop.gateway.support.UsageRecords.usage;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.UsageBatches;
import dev.devloop.contracts.events.testing.TestEvents;
import dev.devloop.gateway.application.LiveEventsService;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.LiveKafka;
import dev.devloop.gateway.support.SseClient;
import dev.devloop.gateway.support.Tokens;
import dev.devloop.gateway.support.UsageRecords;
import dev.devloop.gateway.support.WebhookReceiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * provider-gateway's signed usage batches through the real Kafka: one batch record reaches SSE subscribers and
 * webhooks of its tenant as one {@code dev.devloop.provider.usage} event per model call (id = callId); a malformed
 * batch reaches nobody; an older producer's per-call record still does.
 */
@QuarkusTest
@QuarkusTestResource(AgentServiceStub.class)
class UsageBatchLiveEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicBoolean CONSUMER_READY = new AtomicBoolean();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @TestHTTPResource("/api/v1/events")
    URL events;

    @Inject
    LiveEventsService liveEvents;

    private LiveKafka kafka;

    @BeforeEach
    void connect() throws Exception {
        kafka = LiveKafka.connect(bootstrap, liveEvents, CONSUMER_READY);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    void aBatchOfThreeIsThreeUsageEventsForItsTenantOnlyOnSseAndWebhooks() throws Exception {
        String tenant = Tokens.newTenant();
        String other = Tokens.newTenant();
        List<String> callIds = List.of(id(), id(), id());
        try (WebhookReceiver receiver = new WebhookReceiver(0, 200);
                SseClient mine = SseClient.open(events + "?channels=usage", Tokens.valid(tenant, "viewer"), null);
                SseClient theirs = SseClient.open(events + "?channels=usage", Tokens.valid(other, "viewer"), null)) {
            register(tenant, receiver.url());
            await(() -> liveEvents.streams(tenant) == 1 && liveEvents.streams(other) == 1);

            sendBatch(tenant, callIds.stream().map(UsageRecords::usage).toList());

            List<SseClient.Event> seen = mine.take(3, Duration.ofSeconds(30));
            assertThat(seen).extracting(SseClient.Event::id).containsExactlyElementsOf(callIds);
            for (SseClient.Event event : seen) {
                JsonNode json = JSON.readTree(event.data());
                assertThat(event.name()).isEqualTo(UsageBatches.RECORD_TYPE);
                assertThat(json.get("type").asText()).isEqualTo(UsageBatches.RECORD_TYPE);
                assertThat(json.get("tenant").asText()).isEqualTo(tenant);
                assertThat(json.get("data").get("callId").asText()).isEqualTo(event.id());
                assertThat(json.get("data").get("totalTokens").asInt()).isEqualTo(15);
            }
            await(() -> receiver.received().size() >= 3);
            assertThat(receiver.received())
                    .extracting(r -> r.headers().get("Devloop-Event-Id"))
                    .containsExactlyInAnyOrderElementsOf(callIds);
            for (WebhookReceiver.Received delivery : receiver.received()) {
                assertThat(delivery.headers()).containsEntry("Devloop-Event-Type", UsageBatches.RECORD_TYPE);
                assertThat(JSON.readTree(delivery.body()).get("tenant").asText())
                        .isEqualTo(tenant);
            }
            // the other tenant's stream gets its own marker event and none of the batch
            String marker = plainUsage(other, id());
            List<SseClient.Event> seenByOther = theirs.take(1, Duration.ofSeconds(30));
            assertThat(concat(seenByOther, theirs.drain()))
                    .extracting(SseClient.Event::id)
                    .containsExactly(marker);
        }
    }

    @Test
    void aMalformedBatchDeliversNothingAndAPlainPerCallRecordStillArrives() throws Exception {
        String tenant = Tokens.newTenant();
        try (WebhookReceiver receiver = new WebhookReceiver(0, 200);
                SseClient sse = SseClient.open(events + "?channels=usage", Tokens.valid(tenant, "viewer"), null)) {
            register(tenant, receiver.url());
            await(() -> liveEvents.streams(tenant) == 1);

            ObjectNode noCallId = usage(id());
            noCallId.remove(UsageBatches.CALL_ID);
            String malformed = TestEvents.value(
                    UsageBatches.SOURCE, UsageBatches.TYPE, tenant, Map.of("records", List.of(usage(id()), noCallId)));
            kafka.send(Topics.PROVIDER_USAGE, tenant, malformed);
            // same key, same partition: once the later record arrives the malformed batch has been consumed
            String plain = plainUsage(tenant, id());

            List<SseClient.Event> seen = sse.take(1, Duration.ofSeconds(30));
            await(() -> receiver.received().size() >= 1);
            Thread.sleep(500);
            assertThat(concat(seen, sse.drain()))
                    .extracting(SseClient.Event::id)
                    .containsExactly(plain);
            assertThat(receiver.received())
                    .extracting(r -> r.headers().get("Devloop-Event-Id"))
                    .containsExactly(plain);
        }
    }

    private void sendBatch(String tenant, List<ObjectNode> records) {
        kafka.send(Topics.PROVIDER_USAGE, tenant, TestEvents.value(UsageBatches.batch(tenant, records)));
    }

    /** Sends an older producer's per-call usage record; returns its id. */
    private String plainUsage(String tenant, String callId) {
        String value = LiveKafka.event(
                callId, UsageBatches.RECORD_TYPE, tenant, "{\"callId\":\"" + callId + "\",\"totalTokens\":15}");
        kafka.send(Topics.PROVIDER_USAGE, tenant, value);
        return callId;
    }

    private static void register(String tenant, String url) {
        given().auth()
                .oauth2(Tokens.valid(tenant, "operator"))
                .contentType(ContentType.JSON)
                .body(Map.of("url", url, "eventTypes", List.of(UsageBatches.RECORD_TYPE)))
                .when()
                .post("/api/v1/webhooks")
                .then()
                .statusCode(201);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static List<SseClient.Event> concat(List<SseClient.Event> first, List<SseClient.Event> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
