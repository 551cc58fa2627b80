package dev.devloop.tools.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItems;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.contracts.events.EventGate;
import dev.devloop.contracts.events.KafkaEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Every attempt, allowed or denied, is published as a CloudEvent on the real Kafka; readiness lists each dependency. */
@QuarkusTest
class InvocationEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final CloudEventCodec.Limits LIMITS = CloudEventCodec.Limits.DEFAULT;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EventGate gate;

    @Test
    void allowedAndDeniedCallsArePublishedKeyedByAgent() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String agent = "agent-" + UUID.randomUUID();
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"arguments\":{\"message\":\"hello\"},\"agentType\":\"repair\",\"agentId\":\"" + agent + "\"}")
                .when()
                .post("/tools/log_activity/invocations")
                .then()
                .statusCode(200);
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"arguments\":{},\"agentType\":\"repair\",\"agentId\":\"" + agent + "\"}")
                .when()
                .post("/tools/log_activity/invocations")
                .then()
                .statusCode(400);

        List<ConsumerRecord<String, String>> mine = eventsOf(Topics.TOOL_INVOCATIONS, tenant, 2);
        assertThat(mine).allSatisfy(r -> assertThat(r.key()).isEqualTo(agent));
        // signed as tool-service for its topic: what api-gateway's live-events consumer checks
        assertThat(mine).allSatisfy(r -> assertThat(KafkaEvents.accept(gate, Topics.TOOL_INVOCATIONS, r, LIMITS)
                        .producer())
                .isEqualTo("tool-service"));
        List<JsonNode> events = new ArrayList<>();
        for (ConsumerRecord<String, String> r : mine) {
            events.add(JSON.readTree(r.value()));
        }
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("dev.devloop.tool.invoked");
            assertThat(e.path("specversion").asText()).isEqualTo("1.0");
            assertThat(e.path("subject").asText()).isEqualTo("log_activity");
        });
        assertThat(events)
                .extracting(e -> e.path("data").path("outcome").asText())
                .containsExactlyInAnyOrder("SUCCEEDED", "INVALID_ARGUMENTS");
    }

    @Test
    void publishEventPutsAnAgentEventOnAnAllowedTopicOnly() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body(
                        "{\"arguments\":{\"topic\":\"devloop.system.health\",\"key\":\"knowledge-service\","
                                + "\"type\":\"component.status\",\"data\":{\"status\":\"DEGRADED\"}},"
                                + "\"agentType\":\"system_health\",\"agentId\":\"a-1\",\"runId\":\"r-1\",\"idempotencyKey\":\"p-1\"}")
                .when()
                .post("/tools/publish_event/invocations")
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("SUCCEEDED"));
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body(
                        "{\"arguments\":{\"topic\":\"devloop.agent.tasks\",\"key\":\"k\",\"type\":\"task\",\"data\":{}},"
                                + "\"agentType\":\"system_health\",\"agentId\":\"a-1\",\"runId\":\"r-1\",\"idempotencyKey\":\"p-2\"}")
                .when()
                .post("/tools/publish_event/invocations")
                .then()
                .statusCode(403)
                .body("detail", org.hamcrest.Matchers.startsWith("denied by rule allowedTopics"));

        ConsumerRecord<String, String> record =
                eventsOf(Topics.SYSTEM_HEALTH, tenant, 1).get(0);
        JsonNode event = JSON.readTree(record.value());
        assertThat(record.key()).isEqualTo("knowledge-service");
        assertThat(event.path("type").asText()).isEqualTo("dev.devloop.agent.component.status");
        assertThat(event.path("data").path("status").asText()).isEqualTo("DEGRADED");
        assertThat(KafkaEvents.accept(gate, Topics.SYSTEM_HEALTH, record, LIMITS)
                        .producer())
                .isEqualTo("tool-service");
    }

    @Test
    void readinessCoversTheStoresAndTheirMigrationsAndTheDependencyGroupTheSiblingService() {
        given().when()
                .get("/q/health/ready")
                .then()
                .body("checks.name", org.hamcrest.Matchers.not(hasItems("knowledge-service")))
                .body("checks.find { it.name.contains('MongoDB') }.status", org.hamcrest.Matchers.equalTo("UP"))
                .body("checks.find { it.name == 'mongodb-migrations' }.status", org.hamcrest.Matchers.equalTo("UP"))
                .body(
                        "checks.find { it.name == 'mongodb-migrations' }.data.version",
                        org.hamcrest.Matchers.equalTo("V001"));
        given().when().get("/q/health/group/dependencies").then().body("checks.name", hasItems("knowledge-service"));
    }

    /** Other services share these topics; records that are not JSON events are not ours. */
    private static String tenantOf(String value) {
        try {
            return value == null ? null : JSON.readTree(value).path("tenant").asText(null);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private List<ConsumerRecord<String, String>> eventsOf(String topic, String tenant, int expected) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "tool-service-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> mine = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (mine.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (tenant.equals(tenantOf(r.value()))) {
                        mine.add(r);
                    }
                }
            }
        }
        assertThat(mine).as("events of tenant " + tenant).hasSize(expected);
        return mine;
    }
}
