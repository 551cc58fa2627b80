package dev.devloop.gateway.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Topics;
import dev.devloop.gateway.application.LiveEventsService;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.LiveKafka;
import dev.devloop.gateway.support.SseClient;
import dev.devloop.gateway.support.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SSE {@code /api/v1/events} fed by a real Kafka producer: tenant and channel filtering, resume, malformed input. */
@QuarkusTest
@QuarkusTestResource(AgentServiceStub.class)
class LiveEventsSseTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicBoolean CONSUMER_READY = new AtomicBoolean();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @TestHTTPResource("/api/v1/events")
    URL events;

    @Inject
    LiveEventsService liveEvents;

    @Inject
    MeterRegistry meters;

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
    void aClientSeesOnlyItsTenantsEventsOnItsChannels() throws Exception {
        String tenantA = Tokens.newTenant();
        String tenantB = Tokens.newTenant();
        double malformedBefore =
                meters.counter("devloop.gateway.events.malformed").count();
        try (SseClient a =
                        SseClient.open(events + "?channels=lifecycle,results", Tokens.valid(tenantA, "viewer"), null);
                SseClient b = SseClient.open(events + "?channels=lifecycle", Tokens.valid(tenantB, "viewer"), null)) {
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.contentType()).startsWith("text/event-stream");
            await(() -> liveEvents.streams(tenantA) == 1 && liveEvents.streams(tenantB) == 1);

            String spawned = LiveKafka.event(id(), "dev.devloop.agent.spawned", tenantA, "{\"agentId\":\"ag-1\"}");
            String otherTenant = LiveKafka.event(id(), "dev.devloop.agent.spawned", tenantB, "{\"agentId\":\"ag-2\"}");
            String toolCall = LiveKafka.event(id(), "dev.devloop.tool.invoked", tenantA, "{\"tool\":\"read_metrics\"}");
            String finished =
                    LiveKafka.event(id(), "dev.devloop.agent.run.finished", tenantA, "{\"status\":\"COMPLETED\"}");
            kafka.send(Topics.AGENT_LIFECYCLE, "ag-1", spawned);
            kafka.send(Topics.AGENT_LIFECYCLE, "ag-2", otherTenant);
            kafka.send(Topics.TOOL_INVOCATIONS, "ag-1", toolCall);
            kafka.send(Topics.AGENT_RESULTS, tenantA, "this is not json");
            kafka.send(
                    Topics.AGENT_RESULTS,
                    tenantA,
                    "{\"id\":\"" + id() + "\",\"type\":\"x\",\"source\":\"/s\",\"data\":{}}");
            kafka.send(Topics.AGENT_RESULTS, tenantA, finished);

            List<SseClient.Event> seen = a.take(2, Duration.ofSeconds(30));
            // every record above has been consumed once tenant A's buffer holds its three valid events
            await(() -> liveEvents.buffered(tenantA) == 3 && liveEvents.buffered(tenantB) == 1);
            Thread.sleep(300);
            seen = concat(seen, a.drain());
            assertThat(seen)
                    .extracting(SseClient.Event::id)
                    .containsExactlyInAnyOrder(
                            JSON.readTree(spawned).get("id").asText(),
                            JSON.readTree(finished).get("id").asText());
            for (SseClient.Event event : seen) {
                JsonNode data = JSON.readTree(event.data());
                assertThat(data.get("tenant").asText()).isEqualTo(tenantA);
                assertThat(event.name()).isEqualTo(data.get("type").asText());
                assertThat(event.id()).isEqualTo(data.get("id").asText());
                assertThat(JSON.readTree(event.data()))
                        .isEqualTo(JSON.readTree(
                                event.id().equals(data.get("id").asText())
                                                && data.get("type").asText().endsWith("spawned")
                                        ? spawned
                                        : finished));
            }
            List<SseClient.Event> seenByB = concat(b.take(1, Duration.ofSeconds(10)), b.drain());
            assertThat(seenByB)
                    .extracting(SseClient.Event::id)
                    .containsExactly(JSON.readTree(otherTenant).get("id").asText());
            assertThat(meters.counter("devloop.gateway.events.malformed").count())
                    .isGreaterThanOrEqualTo(malformedBefore + 2);
        }
    }

    @Test
    void roadmapEventsReachTheRoadmapChannelOfTheirTenantOnlyAndApprovalsTheLifecycleChannel() throws Exception {
        String tenant = Tokens.newTenant();
        String other = Tokens.newTenant();
        try (SseClient roadmap =
                        SseClient.open(events + "?channels=roadmap,lifecycle", Tokens.valid(tenant, "viewer"), null);
                SseClient lifecycleOnly =
                        SseClient.open(events + "?channels=lifecycle", Tokens.valid(tenant, "viewer"), null);
                SseClient otherTenant =
                        SseClient.open(events + "?channels=roadmap", Tokens.valid(other, "viewer"), null)) {
            assertThat(roadmap.status()).isEqualTo(200);
            await(() -> liveEvents.streams(tenant) == 2 && liveEvents.streams(other) == 1);

            String changed = LiveKafka.event(
                    id(),
                    "dev.devloop.roadmap.status.changed",
                    tenant,
                    "{\"id\":\"login-api\",\"level\":\"task\",\"parentId\":\"login\",\"name\":\"API\",\"from\":\"planned\",\"to\":\"in_progress\"}");
            String othersChange = LiveKafka.event(id(), "dev.devloop.roadmap.node.created", other, "{\"id\":\"x\"}");
            String requested = LiveKafka.event(
                    id(),
                    "dev.devloop.agent.approval.requested",
                    tenant,
                    "{\"id\":\"ap-1\",\"tool\":\"roadmap_create_node\"}");
            kafka.send(Topics.ROADMAP_EVENTS, tenant, changed);
            kafka.send(Topics.ROADMAP_EVENTS, other, othersChange);
            kafka.send(Topics.AGENT_LIFECYCLE, tenant, requested);

            List<SseClient.Event> seen = roadmap.take(2, Duration.ofSeconds(30));
            await(() -> liveEvents.buffered(tenant) == 2 && liveEvents.buffered(other) == 1);
            Thread.sleep(300);
            seen = concat(seen, roadmap.drain());
            assertThat(seen)
                    .extracting(SseClient.Event::name)
                    .containsExactlyInAnyOrder(
                            "dev.devloop.roadmap.status.changed", "dev.devloop.agent.approval.requested");
            SseClient.Event statusChange = seen.stream()
                    .filter(e -> e.name().equals("dev.devloop.roadmap.status.changed"))
                    .findFirst()
                    .orElseThrow();
            assertThat(JSON.readTree(statusChange.data())).isEqualTo(JSON.readTree(changed));
            assertThat(concat(lifecycleOnly.take(1, Duration.ofSeconds(10)), lifecycleOnly.drain()))
                    .as("a roadmap event is not on the lifecycle channel")
                    .extracting(SseClient.Event::name)
                    .containsExactly("dev.devloop.agent.approval.requested");
            assertThat(concat(otherTenant.take(1, Duration.ofSeconds(10)), otherTenant.drain()))
                    .extracting(SseClient.Event::id)
                    .containsExactly(JSON.readTree(othersChange).get("id").asText());
        }
    }

    @Test
    void lastEventIdReplaysOnlyLaterEventsThenContinuesLive() throws Exception {
        String tenant = Tokens.newTenant();
        String[] ids = {id(), id(), id(), id()};
        for (int i = 0; i < 3; i++) {
            kafka.send(
                    Topics.AGENT_RESULTS,
                    tenant,
                    LiveKafka.event(ids[i], "dev.devloop.agent.run.finished", tenant, "{\"n\":" + i + "}"));
        }
        await(() -> liveEvents.buffered(tenant) == 3);
        try (SseClient client =
                SseClient.open(events + "?channels=results", Tokens.valid(tenant, "operator"), ids[0])) {
            List<SseClient.Event> replayed = client.take(2, Duration.ofSeconds(10));
            assertThat(replayed).extracting(SseClient.Event::id).containsExactly(ids[1], ids[2]);
            kafka.send(
                    Topics.AGENT_RESULTS,
                    tenant,
                    LiveKafka.event(ids[3], "dev.devloop.agent.run.finished", tenant, "{}"));
            assertThat(client.take(1, Duration.ofSeconds(30)))
                    .extracting(SseClient.Event::id)
                    .containsExactly(ids[3]);
            Thread.sleep(300);
            assertThat(client.drain()).isEmpty();
        }
    }

    @Test
    void openStreamsPerTenantAreCapped() throws Exception {
        String tenant = Tokens.newTenant();
        try (SseClient first = SseClient.open(events.toString(), Tokens.valid(tenant, "viewer"), null);
                SseClient second = SseClient.open(events.toString(), Tokens.valid(tenant, "viewer"), null)) {
            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).isEqualTo(200);
            try (SseClient third = SseClient.open(events.toString(), Tokens.valid(tenant, "viewer"), null)) {
                assertThat(third.status()).isEqualTo(429);
            }
            try (SseClient otherTenant =
                    SseClient.open(events.toString(), Tokens.valid(Tokens.newTenant(), "viewer"), null)) {
                assertThat(otherTenant.status()).isEqualTo(200);
            }
        }
        await(() -> liveEvents.streams(tenant) == 0);
    }

    @Test
    void unknownChannelsAndMissingTokensAreRefused() {
        String token = Tokens.valid(Tokens.newTenant(), "viewer");
        given().auth()
                .oauth2(token)
                .when()
                .get("/api/v1/events?channels=results,secrets")
                .then()
                .statusCode(400)
                .body("field", equalTo("channels"));
        given().when().get("/api/v1/events").then().statusCode(401);
        given().auth()
                .oauth2(Tokens.valid(Tokens.newTenant(), "auditor"))
                .when()
                .get("/api/v1/events")
                .then()
                .statusCode(403);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static List<SseClient.Event> concat(List<SseClient.Event> first, List<SseClient.Event> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
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
