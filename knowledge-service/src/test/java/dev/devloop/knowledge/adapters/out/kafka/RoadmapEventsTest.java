package dev.devloop.knowledge.adapters.out.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.contracts.events.EventGate;
import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.knowledge.support.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

/** Roadmap changes reach {@code devloop.roadmap.events} through the outbox, read back with a real Kafka consumer. */
@QuarkusTest
class RoadmapEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Driver neo4j;

    /** The cell's consumer gate, as api-gateway's roadmap channel uses it. */
    @Inject
    EventGate gate;

    private final String tenant = "rme-" + UUID.randomUUID();

    private RequestSpecification as() {
        return given().header(Headers.TENANT, tenant).contentType(ContentType.JSON);
    }

    private void create(String id, String level, String parentId, Integer estimate) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("id", id, "level", level, "name", "N " + id));
        if (parentId != null) {
            body.put("parentId", parentId);
        }
        if (estimate != null) {
            body.put("estimate", estimate);
        }
        as().body(body).post("/roadmap/nodes").then().statusCode(201);
    }

    private static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> distinctById(List<ConsumerRecord<String, String>> records) {
        java.util.Map<String, JsonNode> byId = new java.util.LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            JsonNode event = parse(r.value());
            byId.putIfAbsent(event.path("id").asText(), event);
        }
        return new ArrayList<>(byId.values());
    }

    private static List<JsonNode> ofType(List<JsonNode> events, String suffix) {
        return events.stream()
                .filter(e -> e.path("type").asText().equals("dev.devloop.roadmap." + suffix))
                .toList();
    }

    @Test
    void aTaskStatusChangeEmitsStatusAndOneProgressEventPerAncestor() throws Exception {
        create("m1", "milestone", null, null);
        create("p1", "phase", "m1", null);
        create("mod", "module", "p1", null);
        create("f1", "feature", "mod", null);
        create("t1", "task", "f1", 2);
        create("t2", "task", "f1", 3);
        as().body(Map.of("status", "in_progress"))
                .patch("/roadmap/nodes/t1")
                .then()
                .statusCode(200);
        as().body(Map.of("status", "done")).patch("/roadmap/nodes/t1").then().statusCode(200);
        as().delete("/roadmap/nodes/t2").then().statusCode(204);

        List<ConsumerRecord<String, String>> records = KafkaTestClient.collect(
                Topics.ROADMAP_EVENTS,
                r -> r.value().contains(tenant),
                list -> distinctById(list).size() >= 15,
                Duration.ofSeconds(60));
        // delivery is at least once (an event Kafka did not acknowledge in time is resent from the outbox, with the
        // same
        // id, and consumers de-duplicate by id): compare the distinct events, in first-delivery order
        List<JsonNode> events = distinctById(records);
        assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo(tenant));
        // each record is signed at relay time by knowledge-service, for this topic
        assertThat(records).allSatisfy(r -> {
            var signature = r.headers().lastHeader(EventSignatures.SIGNATURE_HEADER);
            assertThat(signature).as("signature header").isNotNull();
            EventGate.Accepted accepted = gate.accept(
                    Topics.ROADMAP_EVENTS,
                    r.value(),
                    new String(signature.value(), java.nio.charset.StandardCharsets.UTF_8),
                    null,
                    CloudEventCodec.Limits.DEFAULT);
            assertThat(accepted.producer()).isEqualTo("knowledge-service");
            assertThat(accepted.event().tenant()).isEqualTo(tenant);
        });
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("tenant").asText()).isEqualTo(tenant);
            assertThat(e.path("source").asText()).isEqualTo("/devloop/knowledge-service");
            assertThat(e.path("specversion").asText()).isEqualTo("1.0");
            assertThat(e.path("id").asText()).isNotBlank();
        });
        // 6 created, 2 updated, 2 status changes, 4 progress changes (only the move to done moved the roll-up), 1
        // deleted
        assertThat(ofType(events, "node.created"))
                .extracting(e -> e.path("subject").asText())
                .containsExactly("m1", "p1", "mod", "f1", "t1", "t2");
        assertThat(ofType(events, "node.created")
                        .get(4)
                        .path("data")
                        .path("estimate")
                        .asDouble())
                .isEqualTo(2.0);
        assertThat(ofType(events, "node.updated")).hasSize(2);
        List<JsonNode> statuses = ofType(events, "status.changed");
        assertThat(statuses)
                .extracting(e -> e.path("data").path("from").asText() + ">"
                        + e.path("data").path("to").asText())
                .containsExactly("planned>in_progress", "in_progress>done");
        assertThat(statuses.get(1).path("data").path("parentId").asText()).isEqualTo("f1");
        assertThat(statuses.get(1).path("data").path("level").asText()).isEqualTo("task");
        List<JsonNode> progress = ofType(events, "progress.changed");
        assertThat(progress)
                .extracting(e -> e.path("data").path("id").asText())
                .containsExactly("f1", "mod", "p1", "m1");
        assertThat(progress).allSatisfy(e -> {
            assertThat(e.path("data").path("progress").asDouble()).isEqualTo(0.4);
            assertThat(e.path("data").path("tasks").asLong()).isEqualTo(2);
            assertThat(e.path("data").path("done").asLong()).isEqualTo(1);
            assertThat(e.path("data").path("estimateTotal").asDouble()).isEqualTo(5.0);
            assertThat(e.path("data").path("estimateDone").asDouble()).isEqualTo(2.0);
        });
        assertThat(ofType(events, "node.deleted"))
                .singleElement()
                .satisfies(e -> assertThat(e.path("data").toString()).isEqualTo("{\"id\":\"t2\",\"level\":\"task\"}"));
        // the outbox is emptied of what Kafka acknowledged
        Instant deadline = Instant.now().plusSeconds(20);
        while (outboxed() > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(outboxed()).isZero();
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("devloop_roadmap_events_published_total"))
                .body(containsString("devloop_roadmap_outbox_pending"));
    }

    @Test
    void anImportEmitsOneImportedEvent() {
        as().contentType("application/yaml")
                .body("milestones:\n  - id: m1\n    name: M\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/roadmap/import")
                .then()
                .statusCode(200);
        List<ConsumerRecord<String, String>> records = KafkaTestClient.collect(
                Topics.ROADMAP_EVENTS,
                r -> r.value().contains(tenant),
                list -> !list.isEmpty(),
                Duration.ofSeconds(30));
        assertThat(records).singleElement().satisfies(r -> {
            JsonNode e = parse(r.value());
            assertThat(e.path("type").asText()).isEqualTo("dev.devloop.roadmap.imported");
            assertThat(e.path("data").toString())
                    .isEqualTo("{\"created\":1,\"updated\":0,\"unchanged\":0,\"dependencies\":0}");
        });
    }

    private long outboxed() {
        try (var session = neo4j.session()) {
            return session.run("MATCH (o:RoadmapOutbox {tenant: $t}) RETURN count(o) AS n", Map.of("t", tenant))
                    .single()
                    .get("n")
                    .asLong();
        }
    }
}
