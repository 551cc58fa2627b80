package dev.devloop.agent.adapters.in.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.agent.adapters.in.rest.TestPortsAccess;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.testing.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Tasks arrive on the real Kafka from a plain producer carrying a producer grant, and their results come back on
 * Kafka; a task without a grant, with another tenant's grant or from a cell member that does not produce tasks is
 * dead-lettered with the reason and starts no run.
 */
@QuarkusTest
class AgentTaskConsumerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    /** The test profile's own tasks topic (no other stack on the same brokers consumes it). */
    @ConfigProperty(name = "mp.messaging.incoming.agent-tasks.topic")
    String tasksTopic;

    @ConfigProperty(name = "mp.messaging.incoming.agent-tasks.dead-letter-queue.topic")
    String deadLetterTopic;

    @Inject
    RunRepositoryPort runs;

    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void aTaskEventProducesOneResultEvenWhenDeliveredTwice() throws Exception {
        TestPortsAccess.model().answer("task done");
        String taskId = UUID.randomUUID().toString();
        String event = """
        {"specversion":"1.0","id":"%s","source":"/external/producer","type":"dev.devloop.agent.task",
         "tenant":"%s","datacontenttype":"application/json",
         "data":{"agentType":"assistant","input":"summarise the day"}}""".formatted(taskId, tenant);
        String runId = Run.idForTask(tenant, taskId);

        try (KafkaConsumer<String, String> results = consumer(Topics.AGENT_RESULTS)) {
            send(tasksTopic, tenant, event, TestEvents.granted(Topics.AGENT_TASKS, tenant));
            send(tasksTopic, tenant, event, TestEvents.granted(Topics.AGENT_TASKS, tenant));

            List<JsonNode> found =
                    await(results, e -> runId.equals(e.path("subject").asText()), Duration.ofSeconds(30), 1);
            assertThat(found).singleElement().satisfies(e -> {
                assertThat(e.path("type").asText()).isEqualTo("dev.devloop.agent.run.finished");
                assertThat(e.path("tenant").asText()).isEqualTo(tenant);
                assertThat(e.path("data").path("status").asText()).isEqualTo("COMPLETED");
                assertThat(e.path("data").path("result").asText()).isEqualTo("task done");
                assertThat(e.path("data").path("taskId").asText()).isEqualTo(taskId);
            });
            // the redelivery must not produce a second run: nothing else arrives for this run
            assertThat(await(results, e -> runId.equals(e.path("subject").asText()), Duration.ofSeconds(3), 1))
                    .isEmpty();
        }
    }

    @Test
    void aMalformedTaskGoesToTheDeadLetterTopic() throws Exception {
        String marker = "poison-" + UUID.randomUUID();
        String noTenant = """
        {"specversion":"1.0","id":"%s","source":"/external/producer","type":"dev.devloop.agent.task","data":{}}""".formatted(marker);
        // the reason names the CloudEvent attribute to fix, not an HTTP header
        assertThat(deadLetterReason(marker, noTenant, TestEvents.granted(Topics.AGENT_TASKS, tenant)))
                .contains("CloudEvent")
                .contains("'tenant'")
                .doesNotContain("X-Devloop-Tenant");
    }

    @Test
    void aTaskWithoutAGrantIsDeadLetteredAndNoRunStarts() throws Exception {
        String marker = "unsigned-" + UUID.randomUUID();
        assertThat(deadLetterReason(marker, task(marker, tenant), List.of())).contains("devloop-grant");
        assertThat(runs.find(tenant, Run.idForTask(tenant, marker))).isEmpty();
    }

    @Test
    void aGrantForOneTenantCannotStartAnotherTenantsRun() throws Exception {
        String marker = "forged-" + UUID.randomUUID();
        String victim = "victim-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(deadLetterReason(marker, task(marker, victim), TestEvents.granted(Topics.AGENT_TASKS, tenant)))
                .contains("CloudEvent attribute 'tenant'")
                .contains("grant is for tenant '" + tenant + "'");
        assertThat(runs.find(victim, Run.idForTask(victim, marker))).isEmpty();
    }

    @Test
    void aCellMemberThatDoesNotProduceTasksCannotSendOne() throws Exception {
        String marker = "wrong-producer-" + UUID.randomUUID();
        String value = task(marker, tenant);
        List<Header> signedByTools = TestEvents.signedBy("tool-service", Topics.AGENT_TASKS, value);
        assertThat(deadLetterReason(marker, value, signedByTools)).contains("tool-service may not produce");
        assertThat(runs.find(tenant, Run.idForTask(tenant, marker))).isEmpty();
    }

    private static String task(String id, String tenantId) {
        return """
        {"specversion":"1.0","id":"%s","source":"/external/producer","type":"dev.devloop.agent.task",
         "tenant":"%s","datacontenttype":"application/json",
         "data":{"agentType":"assistant","input":"summarise the day"}}""".formatted(id, tenantId);
    }

    private String deadLetterReason(String marker, String value, List<Header> headers) throws Exception {
        return kafka().deadLetterReason(tasksTopic, deadLetterTopic, tenant, marker, value, headers);
    }

    private KafkaConsumer<String, String> consumer(String topic) {
        return kafka().consumer(topic);
    }

    private void send(String topic, String key, String value, List<Header> headers) throws Exception {
        kafka().send(topic, key, value, headers);
    }

    private KafkaRecords kafka() {
        return new KafkaRecords(bootstrap);
    }

    private static List<JsonNode> await(
            KafkaConsumer<String, String> consumer, Predicate<JsonNode> match, Duration timeout, int wanted)
            throws Exception {
        List<JsonNode> found = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && found.size() < wanted) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
                JsonNode e = JSON.readTree(r.value());
                if (match.test(e)) {
                    found.add(e);
                }
            }
        }
        return found;
    }
}
