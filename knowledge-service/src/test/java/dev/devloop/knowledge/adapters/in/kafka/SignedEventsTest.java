package dev.devloop.knowledge.adapters.in.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.testing.TestEvents;
import dev.devloop.knowledge.support.KafkaTestClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 on the real broker and stores: the facts and lifecycle consumers apply only records their topic's
 * producer signed for the tenant the record names. A forged tenant, a producer that may not send there, a signature
 * for another topic and an unsigned record are dead-lettered with the gate's reason, counted by kind, and change
 * nothing.
 */
@QuarkusTest
class SignedEventsTest {
    private static final String FACTS = Topics.KNOWLEDGE_FACTS;
    private static final String LIFECYCLE = Topics.AGENT_LIFECYCLE;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String FACT_WRITE = "dev.devloop.knowledge.fact.write";
    private static final String SPAWNED = "dev.devloop.agent.spawned";

    @Inject
    MeterRegistry registry;

    private String tenant;
    private String victim;

    @BeforeEach
    void newTenants() {
        tenant = "t-" + UUID.randomUUID();
        victim = "v-" + UUID.randomUUID();
    }

    private static CloudEvent fact(String tenant, String entity, Object value) {
        return TestEvents.event(
                "/devloop/agent-service",
                FACT_WRITE,
                tenant,
                Map.of("entity", entity, "attribute", "a", "value", value, "ttlSeconds", 600));
    }

    private static CloudEvent spawn(String tenant, String agentId) {
        return TestEvents.event(
                "/devloop/agent-service",
                SPAWNED,
                tenant,
                Map.of("agentId", agentId, "agentType", "diagnostic", "level", "parent", "status", "ACTIVE"));
    }

    /** The same event for another tenant: what someone rewriting a signed record would produce. */
    private static CloudEvent forTenant(CloudEvent e, String tenant) {
        return new CloudEvent(
                e.specversion(),
                e.id(),
                e.source(),
                e.type(),
                e.time(),
                e.subject(),
                e.datacontenttype(),
                tenant,
                e.data());
    }

    /** The record of event {@code id} on {@code topic}'s {@code .dlq}. */
    private static ConsumerRecord<String, String> deadLetter(String topic, String id) {
        List<ConsumerRecord<String, String>> dead =
                KafkaTestClient.collect(Topics.deadLetter(topic), r -> r.value().contains(id), l -> !l.isEmpty(), WAIT);
        assertThat(dead).as("event %s on %s.dlq", id, topic).isNotEmpty();
        return dead.get(0);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("%s header", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The dead-letter reason of the record of event {@code id} on {@code topic}'s {@code .dlq}. */
    private static String deadLetterReason(String topic, String id) {
        return header(deadLetter(topic, id), "dead-letter-reason");
    }

    private double refused(String topic, String kind) {
        return registry
                .find("devloop.knowledge.events.refused")
                .tag("topic", topic)
                .tag("kind", kind)
                .counters()
                .stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private void awaitFact(String t, String entity, Object value) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            var response = given().header(Headers.TENANT, t).get("/facts/{e}/a", entity);
            if (response.statusCode() == 200 && value.equals(response.jsonPath().get("value"))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("fact " + entity + " of " + t + " never became " + value);
    }

    private static void noFact(String t, String entity) {
        given().header(Headers.TENANT, t).get("/facts/{e}/a", entity).then().statusCode(404);
    }

    @Test
    void aFactWithItsTenantRewrittenAfterSigningIsRefusedAndNothingApplied() {
        double before = refused(FACTS, "forged");
        CloudEvent signed = fact(tenant, "forged", "mine");
        String original = TestEvents.value(signed);
        String rewritten = TestEvents.value(forTenant(signed, victim));
        KafkaTestClient.send(FACTS, "forged", rewritten, TestEvents.signedBy("agent-service", FACTS, original));

        assertThat(deadLetterReason(FACTS, signed.id())).contains("does not match its signature");
        noFact(victim, "forged");
        noFact(tenant, "forged");
        assertThat(refused(FACTS, "forged")).isGreaterThan(before);
    }

    @Test
    void aFactSignedByAServiceThatMayNotProduceFactsIsRefused() {
        double before = refused(FACTS, "not_allowed");
        CloudEvent event = fact(tenant, "gateway", "x");
        String value = TestEvents.value(event);
        List<Header> signed = TestEvents.signedBy("provider-gateway", FACTS, value);
        KafkaTestClient.send(FACTS, "gateway", value, signed);

        ConsumerRecord<String, String> dead = deadLetter(FACTS, event.id());
        assertThat(header(dead, "dead-letter-reason")).contains("provider-gateway may not produce on " + FACTS);
        // the dead letter keeps the producer's signature, so a replay is judged by the same producer
        assertThat(header(dead, "devloop-signature"))
                .isEqualTo(new String(signed.get(0).value(), StandardCharsets.UTF_8));
        noFact(tenant, "gateway");
        assertThat(refused(FACTS, "not_allowed")).isGreaterThan(before);
    }

    @Test
    void aFactSignedForAnotherTopicIsRefused() {
        CloudEvent event = fact(tenant, "replayed", "x");
        String value = TestEvents.value(event);
        KafkaTestClient.send(FACTS, "replayed", value, TestEvents.signedBy("agent-service", LIFECYCLE, value));

        assertThat(deadLetterReason(FACTS, event.id())).contains("signed for another topic");
        noFact(tenant, "replayed");
    }

    @Test
    void anUnsignedFactIsRefused() {
        double before = refused(FACTS, "unsigned");
        CloudEvent event = fact(tenant, "unsigned", "x");
        KafkaTestClient.sendUnsigned(FACTS, "unsigned", TestEvents.value(event));

        assertThat(deadLetterReason(FACTS, event.id())).contains("has neither a devloop-signature");
        noFact(tenant, "unsigned");
        assertThat(refused(FACTS, "unsigned")).isGreaterThan(before);
    }

    @Test
    void factsSignedByEitherRealProducerAreApplied() throws InterruptedException {
        for (String producer : List.of("agent-service", "tool-service")) {
            String value = TestEvents.value(fact(tenant, producer, "from " + producer));
            KafkaTestClient.send(FACTS, producer, value, TestEvents.signedBy(producer, FACTS, value));
        }
        awaitFact(tenant, "agent-service", "from agent-service");
        awaitFact(tenant, "tool-service", "from tool-service");
    }

    @Test
    void aLifecycleEventWithItsTenantRewrittenIsRefusedAndNoAgentMirrored() {
        double before = refused(LIFECYCLE, "forged");
        String agent = "agent-" + UUID.randomUUID();
        CloudEvent signed = spawn(tenant, agent);
        String original = TestEvents.value(signed);
        KafkaTestClient.send(
                LIFECYCLE,
                agent,
                TestEvents.value(forTenant(signed, victim)),
                TestEvents.signedBy("agent-service", LIFECYCLE, original));

        assertThat(deadLetterReason(LIFECYCLE, signed.id())).contains("does not match its signature");
        given().header(Headers.TENANT, victim)
                .get("/agents/{id}/tree", agent)
                .then()
                .statusCode(404);
        given().header(Headers.TENANT, tenant)
                .get("/agents/{id}/tree", agent)
                .then()
                .statusCode(404);
        assertThat(refused(LIFECYCLE, "forged")).isGreaterThan(before);
    }

    @Test
    void lifecycleEventsFromAnotherProducerOrUnsignedAreRefusedAndSignedOnesMirrored() throws InterruptedException {
        String notAllowed = "agent-" + UUID.randomUUID();
        CloudEvent fromTools = spawn(tenant, notAllowed);
        String toolsValue = TestEvents.value(fromTools);
        KafkaTestClient.send(
                LIFECYCLE, notAllowed, toolsValue, TestEvents.signedBy("tool-service", LIFECYCLE, toolsValue));
        String unsigned = "agent-" + UUID.randomUUID();
        CloudEvent plain = spawn(tenant, unsigned);
        KafkaTestClient.sendUnsigned(LIFECYCLE, unsigned, TestEvents.value(plain));
        String valid = "agent-" + UUID.randomUUID();
        KafkaTestClient.send(LIFECYCLE, valid, TestEvents.value(spawn(tenant, valid)));

        assertThat(deadLetterReason(LIFECYCLE, fromTools.id()))
                .contains("tool-service may not produce on " + LIFECYCLE);
        assertThat(deadLetterReason(LIFECYCLE, plain.id())).contains("has neither a devloop-signature");
        given().header(Headers.TENANT, tenant)
                .get("/agents/{id}/tree", notAllowed)
                .then()
                .statusCode(404);
        given().header(Headers.TENANT, tenant)
                .get("/agents/{id}/tree", unsigned)
                .then()
                .statusCode(404);
        Instant deadline = Instant.now().plus(WAIT);
        while (given().header(Headers.TENANT, tenant)
                        .get("/agents/{id}/tree", valid)
                        .statusCode()
                != 200) {
            assertThat(Instant.now()).as("the signed spawn is mirrored").isBefore(deadline);
            Thread.sleep(200);
        }
        given().header(Headers.TENANT, tenant)
                .get("/agents/{id}/tree", valid)
                .then()
                .body("type", equalTo("diagnostic"))
                .body("status", equalTo("ACTIVE"));
    }

    @Test
    void refusalsAreExposedAsAPrometheusCounterByTopicAndKind() {
        CloudEvent event = fact(tenant, "metric", "x");
        KafkaTestClient.sendUnsigned(FACTS, "metric", TestEvents.value(event));
        deadLetterReason(FACTS, event.id());
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("devloop_knowledge_events_refused_total\\{[^}]*kind=\"unsigned\"[^}]*topic=\""
                        + FACTS.replace(".", "\\.") + "\"");
    }
}
