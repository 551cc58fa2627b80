package dev.devloop.gateway.adapters.in.kafka;

import static dev.devloop.gateway.support.UsageRecords.usage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.contracts.events.EventGate;
import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.contracts.events.UsageBatches;
import dev.devloop.contracts.events.testing.TestEvents;
import dev.devloop.contracts.identity.ServiceKeys;
import dev.devloop.contracts.identity.testing.TestCredentials;
import dev.devloop.gateway.domain.EventChannel;
import dev.devloop.gateway.domain.LiveEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** What the live consumer accepts: the gate's verdict on the record's logical topic, counted by kind when refused. */
class LiveEventsConsumerTest {
    private static final EventSignatures GATEWAY =
            new EventSignatures(ServiceKeys.open(TestCredentials.keyDir(), "api-gateway", true), "devloop-cell");
    private static final String FINISHED = "dev.devloop.agent.run.finished";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MeterRegistry meters = new SimpleMeterRegistry();

    private LiveEventsConsumer consumer(boolean requireSignature, int maxEventBytes) {
        EventGate gate = new EventGate(new CloudEventCodec(new ObjectMapper()), GATEWAY, requireSignature);
        return new LiveEventsConsumer(null, null, gate, maxEventBytes, meters);
    }

    private static ConsumerRecord<String, String> record(String topic, String value, List<Header> headers) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(topic, 0, 7L, "k", value);
        headers.forEach(record.headers()::add);
        return record;
    }

    private double refused(String kind) {
        return refused(Topics.AGENT_RESULTS, kind);
    }

    private double refused(String topic, String kind) {
        Counter counter = meters.find(RefusedRecords.METRIC)
                .tags("topic", topic, "kind", kind)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aRecordSignedByTheTopicsProducerIsAcceptedUnderACellPrefixAsIs() {
        String value = TestEvents.value("/devloop/agent-service", FINISHED, "acme", Map.of("runId", "r-1"));
        List<LiveEvent> events = consumer(true, 262_144)
                .parse(record(
                        "eu-1." + Topics.AGENT_RESULTS,
                        value,
                        TestEvents.signedBy("agent-service", Topics.AGENT_RESULTS, value)));
        assertThat(events).hasSize(1);
        LiveEvent event = events.get(0);
        assertThat(event.tenant()).isEqualTo("acme");
        assertThat(event.channel()).isEqualTo(EventChannel.RESULTS);
        assertThat(event.json()).isEqualTo(value);
    }

    @Test
    void forgedWrongProducerUnsignedAndOversizedRecordsAreRefusedAndCountedByKind() {
        LiveEventsConsumer strict = consumer(true, 512);
        String value = TestEvents.value("/devloop/agent-service", FINISHED, "acme", Map.of());
        String relabelled = value.replace("\"acme\"", "\"globex\"");
        assertThat(strict.parse(record(
                        Topics.AGENT_RESULTS,
                        relabelled,
                        TestEvents.signedBy("agent-service", Topics.AGENT_RESULTS, value))))
                .isEmpty();
        assertThat(strict.parse(record(
                        Topics.AGENT_RESULTS,
                        value,
                        TestEvents.signedBy("knowledge-service", Topics.AGENT_RESULTS, value))))
                .isEmpty();
        assertThat(strict.parse(record(Topics.AGENT_RESULTS, value, List.of()))).isEmpty();
        String large = TestEvents.value("/devloop/agent-service", FINISHED, "acme", Map.of("pad", "x".repeat(600)));
        assertThat(strict.parse(record(
                        Topics.AGENT_RESULTS,
                        large,
                        TestEvents.signedBy("agent-service", Topics.AGENT_RESULTS, large))))
                .isEmpty();

        assertThat(refused("forged")).isEqualTo(1);
        assertThat(refused("not_allowed")).isEqualTo(1);
        assertThat(refused("unsigned")).isEqualTo(1);
        assertThat(refused("malformed")).isEqualTo(1);
    }

    @Test
    void withoutRequiredSignaturesAnUnsignedRecordIsAcceptedAndCountedButAForgedOneStillRefused() {
        LiveEventsConsumer lenient = consumer(false, 262_144);
        String value = TestEvents.value("/devloop/agent-service", FINISHED, "acme", Map.of());
        assertThat(lenient.parse(record(Topics.AGENT_RESULTS, value, List.of())))
                .hasSize(1);
        assertThat(meters.counter("devloop.gateway.events.unsigned").count()).isEqualTo(1);

        String relabelled = value.replace("\"acme\"", "\"globex\"");
        assertThat(lenient.parse(record(
                        Topics.AGENT_RESULTS,
                        relabelled,
                        TestEvents.signedBy("agent-service", Topics.AGENT_RESULTS, value))))
                .isEmpty();
        assertThat(refused("forged")).isEqualTo(1);
    }

    @Test
    void aSignedUsageBatchBecomesOneUsageEventPerRecordKeyedByCallId() throws Exception {
        String value = TestEvents.value(UsageBatches.batch("acme", List.of(usage("c-1"), usage("c-2"), usage("c-3"))));
        List<LiveEvent> events = consumer(true, 262_144)
                .parse(record(
                        "eu-1." + Topics.PROVIDER_USAGE,
                        value,
                        TestEvents.signedBy("provider-gateway", Topics.PROVIDER_USAGE, value)));

        assertThat(events).extracting(LiveEvent::id).containsExactly("c-1", "c-2", "c-3");
        for (LiveEvent event : events) {
            assertThat(event.type()).isEqualTo(UsageBatches.RECORD_TYPE);
            assertThat(event.tenant()).isEqualTo("acme");
            assertThat(event.channel()).isEqualTo(EventChannel.USAGE);
            JsonNode json = JSON.readTree(event.json());
            assertThat(json.get("id").asText()).isEqualTo(event.id());
            assertThat(json.get("type").asText()).isEqualTo(UsageBatches.RECORD_TYPE);
            assertThat(json.get("tenant").asText()).isEqualTo("acme");
            assertThat(json.get("subject").asText()).isEqualTo("gpt-4o-mini");
            assertThat(json.get("data")).isEqualTo(usage(event.id()));
        }
    }

    @Test
    void aPlainPerCallUsageRecordOfAnOlderProducerIsDeliveredAsIs() {
        String value = TestEvents.value(
                UsageBatches.SOURCE, UsageBatches.RECORD_TYPE, "acme", Map.of("callId", "c-9", "totalTokens", 12));
        List<LiveEvent> events = consumer(true, 262_144)
                .parse(record(
                        Topics.PROVIDER_USAGE,
                        value,
                        TestEvents.signedBy("provider-gateway", Topics.PROVIDER_USAGE, value)));
        assertThat(events).hasSize(1);
        assertThat(events.get(0).type()).isEqualTo(UsageBatches.RECORD_TYPE);
        assertThat(events.get(0).json()).isEqualTo(value);
    }

    @Test
    void aMalformedOrWronglySignedUsageBatchYieldsNothingAndIsCounted() {
        LiveEventsConsumer strict = consumer(true, 262_144);
        ObjectNode noCallId = usage("c-2");
        noCallId.remove("callId");
        String malformed = TestEvents.value(
                UsageBatches.SOURCE,
                UsageBatches.TYPE,
                "acme",
                Map.of(
                        "records",
                        List.of(JSON.convertValue(usage("c-1"), Map.class), JSON.convertValue(noCallId, Map.class))));
        assertThat(strict.parse(record(
                        Topics.PROVIDER_USAGE,
                        malformed,
                        TestEvents.signedBy("provider-gateway", Topics.PROVIDER_USAGE, malformed))))
                .isEmpty();
        String empty = TestEvents.value(UsageBatches.SOURCE, UsageBatches.TYPE, "acme", Map.of("records", List.of()));
        assertThat(strict.parse(record(
                        Topics.PROVIDER_USAGE,
                        empty,
                        TestEvents.signedBy("provider-gateway", Topics.PROVIDER_USAGE, empty))))
                .isEmpty();
        assertThat(refused(Topics.PROVIDER_USAGE, "malformed")).isEqualTo(2);

        String batch = TestEvents.value(UsageBatches.batch("acme", List.of(usage("c-1"))));
        assertThat(strict.parse(record(
                        Topics.PROVIDER_USAGE,
                        batch,
                        TestEvents.signedBy("agent-service", Topics.PROVIDER_USAGE, batch))))
                .as("a batch signed by a service that does not produce usage")
                .isEmpty();
        assertThat(refused(Topics.PROVIDER_USAGE, "not_allowed")).isEqualTo(1);
    }
}
