package dev.devloop.gateway.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.contracts.events.EventGate;
import dev.devloop.contracts.events.GrantRevoked;
import dev.devloop.contracts.events.KafkaEvents;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.LogCapture;
import dev.devloop.gateway.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Producer grants are recorded, listed without their tokens and revoked: a revocation is a record on
 * {@code devloop.grants.revocations} (real Kafka) that contracts' gate accepts as api-gateway's, and the record (real
 * Redis) says revoked; a tenant sees and revokes only its own grants.
 */
@QuarkusTest
@QuarkusTestResource(AgentServiceStub.class)
class EventGrantRevocationTest {
    private static final String GRANTS = "/api/v1/event-grants";
    private static final String PROBLEM = "application/problem+json";

    @Inject
    EventGate gate;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final String tenant = Tokens.newTenant();
    private final String admin = Tokens.validFor(tenant, "ops-admin", "admin");

    @Test
    void anIssuedGrantIsListedWithoutItsTokenAndItsRevocationIsASignedEventOnTheTopic() throws Exception {
        String id;
        String token;
        try (LogCapture log = new LogCapture()) {
            var issued = issue(admin, 3600);
            id = issued.get("id");
            token = issued.get("grant");
            assertThat(log.withMessage("event grant issued"))
                    .extracting(LogCapture.Line::fields)
                    .anySatisfy(fields -> assertThat(fields).containsEntry("grant", id));
        }
        assertThat(id).matches("[0-9a-f-]{36}");

        String listed = given().auth()
                .oauth2(admin)
                .when()
                .get(GRANTS)
                .then()
                .statusCode(200)
                .body("items.id", hasItem(id))
                .body("items.find { it.id == '" + id + "' }.status", equalTo("live"))
                .body("items.find { it.id == '" + id + "' }.subject", equalTo("ops-admin"))
                .body("items.find { it.id == '" + id + "' }.issuedBy", equalTo("ops-admin"))
                .body("items.find { it.id == '" + id + "' }.topic", equalTo(Topics.AGENT_TASKS))
                .extract()
                .asString();
        assertThat(listed).doesNotContain(token).doesNotContain("\"grant\"");

        try (KafkaConsumer<String, String> consumer = consumerAtEnd();
                LogCapture log = new LogCapture()) {
            given().auth().oauth2(admin).when().delete(GRANTS + "/" + id).then().statusCode(204);
            assertThat(log.withMessage("event grant revoked"))
                    .extracting(LogCapture.Line::fields)
                    .anySatisfy(fields -> assertThat(fields)
                            .containsEntry("grant", id)
                            .containsEntry("tenant", tenant)
                            .containsEntry("decision", "allow"));
            List<ConsumerRecord<String, String>> revocations = readToEnd(consumer, id);
            assertThat(revocations).hasSize(1);
            ConsumerRecord<String, String> record = revocations.get(0);
            EventGate.Accepted accepted =
                    KafkaEvents.accept(gate, Topics.GRANT_REVOCATIONS, record, CloudEventCodec.Limits.DEFAULT);
            assertThat(accepted.producer()).isEqualTo("api-gateway");
            assertThat(accepted.event().type()).isEqualTo(GrantRevoked.TYPE);
            assertThat(accepted.event().tenant()).isEqualTo(tenant);
            JsonNode data = accepted.event().data();
            assertThat(data.path("grantId").asText()).isEqualTo(id);
            assertThat(data.path("tenant").asText()).isEqualTo(tenant);
            assertThat(data.path("subject").asText()).isEqualTo("ops-admin");
            assertThat(data.path("revokedBy").asText()).isEqualTo("ops-admin");
            assertThat(data.path("expiresAt").asText()).isEqualTo(issuedExpiry(id));

            // a repeated revoke answers the same and publishes nothing new
            given().auth().oauth2(admin).when().delete(GRANTS + "/" + id).then().statusCode(204);
            assertThat(readToEnd(consumer, id)).isEmpty();
        }

        given().auth()
                .oauth2(admin)
                .when()
                .get(GRANTS)
                .then()
                .statusCode(200)
                .body("items.find { it.id == '" + id + "' }.status", equalTo("revoked"))
                .body("items.find { it.id == '" + id + "' }.revokedBy", equalTo("ops-admin"));
    }

    @Test
    void aTenantSeesAndRevokesOnlyItsOwnGrants() {
        String id = issue(admin, 600).get("id");
        String otherTenant = Tokens.newTenant();
        String otherAdmin = Tokens.valid(otherTenant, "admin");
        given().auth()
                .oauth2(otherAdmin)
                .when()
                .delete(GRANTS + "/" + id)
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo("https://devloop.dev/problems/grant-not-found"));
        given().auth()
                .oauth2(otherAdmin)
                .when()
                .get(GRANTS)
                .then()
                .statusCode(200)
                .body("items.id", not(hasItem(id)));
        given().auth()
                .oauth2(admin)
                .when()
                .delete(GRANTS + "/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
        for (String role : List.of("viewer", "operator")) {
            String token = Tokens.valid(tenant, role);
            given().auth().oauth2(token).when().get(GRANTS).then().statusCode(403);
            given().auth().oauth2(token).when().delete(GRANTS + "/" + id).then().statusCode(403);
        }
        given().auth()
                .oauth2(admin)
                .when()
                .get(GRANTS)
                .then()
                .body("items.find { it.id == '" + id + "' }.status", equalTo("live"));
    }

    @Test
    void badIdsLimitsAndCursorsAre400NamingTheField() {
        for (String id : List.of("not-a-grant", "ABCDEFAB-0000-0000-0000-000000000000", "x".repeat(200))) {
            given().auth()
                    .oauth2(admin)
                    .when()
                    .delete(GRANTS + "/" + id)
                    .then()
                    .statusCode(400)
                    .contentType(PROBLEM)
                    .body("field", equalTo("id"));
        }
        for (String limit : List.of("0", "201", "-1", "abc")) {
            given().auth()
                    .oauth2(admin)
                    .queryParam("limit", limit)
                    .when()
                    .get(GRANTS)
                    .then()
                    .statusCode(400)
                    .contentType(PROBLEM)
                    .body("field", equalTo("limit"));
        }
        given().auth()
                .oauth2(admin)
                .queryParam("cursor", "next")
                .when()
                .get(GRANTS)
                .then()
                .statusCode(400)
                .body("field", equalTo("cursor"));
    }

    @Test
    void theListIsPaged() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(issue(admin, 600 + i * 60).get("id"));
        }
        var first = given().auth()
                .oauth2(admin)
                .queryParam("limit", 2)
                .when()
                .get(GRANTS)
                .then()
                .statusCode(200)
                .extract();
        List<String> firstIds = first.path("items.id");
        String cursor = first.path("nextCursor");
        assertThat(firstIds).containsExactly(ids.get(0), ids.get(1));
        assertThat(cursor).isNotNull();
        given().auth()
                .oauth2(admin)
                .queryParam("limit", 2)
                .queryParam("cursor", cursor)
                .when()
                .get(GRANTS)
                .then()
                .statusCode(200)
                .body("items.id", equalTo(List.of(ids.get(2))))
                .body("nextCursor", nullValue());
    }

    private Map<String, String> issue(String token, int ttlSeconds) {
        var answer = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("ttlSeconds", ttlSeconds))
                .when()
                .post(GRANTS)
                .then()
                .statusCode(201)
                .extract();
        return Map.of("id", answer.path("id"), "grant", answer.path("grant"));
    }

    private String issuedExpiry(String id) {
        return given().auth()
                .oauth2(admin)
                .when()
                .get(GRANTS)
                .then()
                .extract()
                .path("items.find { it.id == '" + id + "' }.expiresAt");
    }

    /** A consumer of every partition of the revocations topic, positioned after what is on it now. */
    private KafkaConsumer<String, String> consumerAtEnd() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        props.put("enable.auto.commit", "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.GRANT_REVOCATIONS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    /**
     * The records keyed {@code key} from the consumer's position up to the end offsets as of now: the gateway answers
     * only after Kafka acknowledged, so everything a finished request published is below them.
     */
    private static List<ConsumerRecord<String, String>> readToEnd(KafkaConsumer<String, String> consumer, String key) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        List<ConsumerRecord<String, String>> keyed = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            assertThat(System.nanoTime()).as("read the topic to its end").isLessThan(deadline);
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (key.equals(record.key())) {
                    keyed.add(record);
                }
            }
        }
        return keyed;
    }
}
