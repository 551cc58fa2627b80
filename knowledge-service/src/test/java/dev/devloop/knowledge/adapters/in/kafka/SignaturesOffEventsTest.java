package dev.devloop.knowledge.adapters.in.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.testing.TestEvents;
import dev.devloop.knowledge.support.KafkaTestClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code devloop.events.require-signature=false} (a cell whose producers are being upgraded): unsigned facts and
 * lifecycle events are applied and counted, while a signed record is still verified — a forged one is refused. The
 * channels read topics and a group of their own ({@link PrivateTopics}), so no other test's records are touched.
 */
@QuarkusTest
@TestProfile(PrivateTopics.class)
class SignaturesOffEventsTest {
    static final String FACTS = PrivateTopics.FACTS;
    static final String LIFECYCLE = PrivateTopics.LIFECYCLE;
    static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    MeterRegistry registry;

    private final String tenant = "t-" + UUID.randomUUID();

    private double unsigned(String topic) {
        return registry.find("devloop.knowledge.events.unsigned").tag("topic", topic).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private void awaitOk(String path, String id) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (given().header(Headers.TENANT, tenant).get(path, id).statusCode() != 200) {
            assertThat(Instant.now()).as("%s %s applied", path, id).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void unsignedRecordsAreAppliedAndCountedWhileSignedOnesAreStillVerified() throws InterruptedException {
        double factsBefore = unsigned(Topics.KNOWLEDGE_FACTS);
        double lifecycleBefore = unsigned(Topics.AGENT_LIFECYCLE);
        KafkaTestClient.sendUnsigned(
                FACTS,
                "plain",
                TestEvents.value(
                        "/devloop/agent-service",
                        "dev.devloop.knowledge.fact.write",
                        tenant,
                        Map.of("entity", "plain", "attribute", "a", "value", "old producer", "ttlSeconds", 600)));
        String agent = "agent-" + UUID.randomUUID();
        KafkaTestClient.sendUnsigned(
                LIFECYCLE,
                agent,
                TestEvents.value(
                        "/devloop/agent-service",
                        "dev.devloop.agent.spawned",
                        tenant,
                        Map.of("agentId", agent, "agentType", "diagnostic", "level", "parent", "status", "ACTIVE")));
        CloudEvent signed = TestEvents.event(
                "/devloop/agent-service",
                "dev.devloop.knowledge.fact.write",
                tenant,
                Map.of("entity", "forged", "attribute", "a", "value", 1, "ttlSeconds", 600));
        String original = TestEvents.value(signed);
        String rewritten = original.replace("\"value\":1", "\"value\":2");
        assertThat(rewritten).isNotEqualTo(original);
        KafkaTestClient.send(
                FACTS, "forged", rewritten, TestEvents.signedBy("agent-service", Topics.KNOWLEDGE_FACTS, original));

        awaitOk("/facts/{e}/a", "plain");
        given().header(Headers.TENANT, tenant)
                .get("/facts/{e}/a", "plain")
                .then()
                .body("value", org.hamcrest.Matchers.equalTo("old producer"));
        awaitOk("/agents/{id}/tree", agent);
        assertThat(KafkaTestClient.await(Topics.deadLetter(FACTS), v -> v.contains(signed.id()), WAIT))
                .as("a signed record that does not match its signature is refused even with signatures off")
                .isTrue();
        given().header(Headers.TENANT, tenant)
                .get("/facts/{e}/a", "forged")
                .then()
                .statusCode(404);
        assertThat(unsigned(Topics.KNOWLEDGE_FACTS)).isGreaterThan(factsBefore);
        assertThat(unsigned(Topics.AGENT_LIFECYCLE)).isGreaterThan(lifecycleBefore);
    }
}
