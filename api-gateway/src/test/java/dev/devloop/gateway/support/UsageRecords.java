package dev.devloop.gateway.support;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** provider-gateway's usage records as a batch carries them (contracts' {@code UsageBatches}). */
public final class UsageRecords {
    /** One call's usage: 10 input and 5 output tokens of gpt-4o-mini. */
    public static ObjectNode usage(String callId) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("callId", callId);
        record.put("agentId", "ag-1");
        record.put("provider", "openai");
        record.put("model", "gpt-4o-mini");
        record.put("inputTokens", 10);
        record.put("outputTokens", 5);
        record.put("totalTokens", 15);
        record.put("at", "2026-12-05T07:00:00Z");
        return record;
    }

    private UsageRecords() {}
}
