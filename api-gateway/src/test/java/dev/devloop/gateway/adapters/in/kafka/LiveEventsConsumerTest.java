package dev.devloop.gateway.adapters.in.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.contracts.events.EventGate;
import dev.devloop.contracts.events.EventSignatures;
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
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** What the live consumer accepts: the gate's verdict on the record's logical topic, counted by kind when refused. */
class LiveEventsConsumerTest {
    private static final EventSignatures GATEWAY =
            new EventSignatures(ServiceKeys.open(TestCredentials.keyDir(), "api-gateway", true), "devloop-cell");
    private static final String FINISHED = "dev.devloop.agent.run.finished";

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
        Counter counter = meters.find(RefusedRecords.METRIC)
                .tags("topic", Topics.AGENT_RESULTS, "kind", kind)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aRecordSignedByTheTopicsProducerIsAcceptedUnderACellPrefixAsIs() {
        String value = TestEvents.value("/devloop/agent-service", FINISHED, "acme", Map.of("runId", "r-1"));
        Optional<LiveEvent> event = consumer(true, 262_144)
                .parse(record(
                        "eu-1." + Topics.AGENT_RESULTS,
                        value,
                        TestEvents.signedBy("agent-service", Topics.AGENT_RESULTS, value)));
        assertThat(event).isPresent();
        assertThat(event.get().tenant()).isEqualTo("acme");
        assertThat(event.get().channel()).isEqualTo(EventChannel.RESULTS);
        assertThat(event.get().json()).isEqualTo(value);
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
                .isPresent();
        assertThat(meters.counter("devloop.gateway.events.unsigned").count()).isEqualTo(1);

        String relabelled = value.replace("\"acme\"", "\"globex\"");
        assertThat(lenient.parse(record(
                        Topics.AGENT_RESULTS,
                        relabelled,
                        TestEvents.signedBy("agent-service", Topics.AGENT_RESULTS, value))))
                .isEmpty();
        assertThat(refused("forged")).isEqualTo(1);
    }
}
