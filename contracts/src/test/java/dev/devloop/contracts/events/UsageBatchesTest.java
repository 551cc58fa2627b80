package dev.devloop.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageBatchesTest {
    private final ObjectMapper json = new ObjectMapper();
    private final CloudEventCodec codec = new CloudEventCodec(json);

    private ObjectNode record(String callId, String model) {
        ObjectNode record = json.createObjectNode();
        record.put("callId", callId);
        record.put("model", model);
        record.put("totalTokens", 42);
        record.put("at", "2026-12-05T07:00:00Z");
        return record;
    }

    @Test
    void aBatchExpandsIntoOneUsageEventPerRecordKeyedByCallId() {
        CloudEvent batch = UsageBatches.batch("acme", List.of(record("c-1", "gpt-4o"), record("c-2", "claude")));
        CloudEvent decoded = codec.decode(codec.encode(batch), CloudEventCodec.Limits.DEFAULT);

        List<CloudEvent> events = UsageBatches.expand(decoded);

        assertThat(events).extracting(CloudEvent::id).containsExactly("c-1", "c-2");
        assertThat(events).extracting(CloudEvent::subject).containsExactly("gpt-4o", "claude");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(UsageBatches.RECORD_TYPE);
            assertThat(e.tenant()).isEqualTo("acme");
            assertThat(e.source()).isEqualTo(UsageBatches.SOURCE);
            assertThat(e.time()).isEqualTo("2026-12-05T07:00:00Z");
            assertThat(e.data().get("totalTokens").asInt()).isEqualTo(42);
        });
        assertThat(UsageBatches.expand(decoded)).isEqualTo(events);
    }

    @Test
    void aFullBatchFitsTheCodecsDefaultLimit() {
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < UsageBatches.MAX_RECORDS; i++) {
            ObjectNode r = record("call-" + "x".repeat(36) + i, "gpt-4o-mini-2024-07-18");
            r.put("agentId", "agent-" + "y".repeat(36));
            r.put("provider", "openai");
            r.put("finishReason", "stop");
            r.put("costUsd", 0.000123456);
            records.add(r);
        }
        String encoded = codec.encode(UsageBatches.batch("acme", records));
        assertThat(codec.decode(encoded, CloudEventCodec.Limits.DEFAULT).data().get("records"))
                .hasSize(UsageBatches.MAX_RECORDS);
    }

    @Test
    void whatIsNotABatchIsRefused() {
        assertThatThrownBy(() -> UsageBatches.batch("acme", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UsageBatches.batch(" ", List.of(record("c", "m"))))
                .isInstanceOf(IllegalArgumentException.class);

        CloudEvent noRecords = new CloudEvent(
                "1.0", "b", UsageBatches.SOURCE, UsageBatches.TYPE, null, null, null, "acme", json.createObjectNode());
        assertThatThrownBy(() -> UsageBatches.expand(noRecords)).hasMessageContaining("data.records");

        ObjectNode noCallId = record("c", "m");
        noCallId.remove("callId");
        CloudEvent batch = UsageBatches.batch("acme", List.of(noCallId));
        assertThatThrownBy(() -> UsageBatches.expand(batch)).hasMessageContaining("callId");

        CloudEvent single =
                CloudEvent.of(UsageBatches.SOURCE, UsageBatches.RECORD_TYPE, null, "acme", record("c", "m"));
        assertThat(UsageBatches.isBatch(single)).isFalse();
        assertThatThrownBy(() -> UsageBatches.expand(single)).isInstanceOf(IllegalArgumentException.class);
    }
}
