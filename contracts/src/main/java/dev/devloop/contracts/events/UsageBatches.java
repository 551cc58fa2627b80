package dev.devloop.contracts.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * provider-gateway reports usage in signed batches: one {@link #TYPE} event carries up to {@link #MAX_RECORDS} usage
 * records of one tenant, each the data of one {@link #RECORD_TYPE} event. One ES256 signature per batch instead of
 * one per model call (the signature was most of the gateway's CPU per call, docs/scaling.md). Consumers
 * {@link #expand} a batch back into one {@link #RECORD_TYPE} event per record, whose id is the record's
 * {@code callId}, so a batch delivered twice yields the same event ids and stays idempotent downstream.
 */
public final class UsageBatches {
    public static final String TYPE = "dev.devloop.provider.usage.batch";
    public static final String RECORD_TYPE = "dev.devloop.provider.usage";
    public static final String SOURCE = "/devloop/provider-gateway";
    public static final String RECORDS = "records";
    public static final String CALL_ID = "callId";
    /** Keeps a batch of ~400-byte records well under the codec's 256 KiB default limit. */
    public static final int MAX_RECORDS = 256;

    private static final int MAX_CALL_ID = 200;

    /** The batch event of {@code tenant}'s usage records (each an object with a {@code callId}). */
    public static CloudEvent batch(String tenant, List<ObjectNode> records) {
        if (tenant == null || tenant.isBlank()) {
            throw new IllegalArgumentException("a usage batch needs a tenant");
        }
        if (records.isEmpty() || records.size() > MAX_RECORDS) {
            throw new IllegalArgumentException(
                    "a usage batch holds 1.." + MAX_RECORDS + " records, not " + records.size());
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        ArrayNode array = data.putArray(RECORDS);
        records.forEach(array::add);
        return new CloudEvent(
                CloudEvent.SPEC_VERSION,
                UUID.randomUUID().toString(),
                SOURCE,
                TYPE,
                Instant.now().toString(),
                null,
                CloudEvent.JSON,
                tenant,
                data);
    }

    public static boolean isBatch(CloudEvent event) {
        return TYPE.equals(event.type());
    }

    /**
     * One {@link #RECORD_TYPE} event per record of an accepted batch, with the batch's source and tenant, the
     * record's {@code callId} as id, its {@code at} as time and its {@code model} as subject.
     *
     * @throws IllegalArgumentException when the batch is not one: no records array, too many records, or a record
     *     without a usable {@code callId}
     */
    public static List<CloudEvent> expand(CloudEvent batch) {
        if (!isBatch(batch)
                || batch.data() == null
                || !batch.data().path(RECORDS).isArray()) {
            throw new IllegalArgumentException("not a usage batch: data.records is missing");
        }
        JsonNode records = batch.data().get(RECORDS);
        if (records.isEmpty() || records.size() > MAX_RECORDS) {
            throw new IllegalArgumentException(
                    "data.records holds 1.." + MAX_RECORDS + " records, not " + records.size());
        }
        List<CloudEvent> events = new ArrayList<>(records.size());
        for (JsonNode record : records) {
            JsonNode callId = record.path(CALL_ID);
            if (!record.isObject()
                    || !callId.isTextual()
                    || callId.asText().isBlank()
                    || callId.asText().length() > MAX_CALL_ID) {
                throw new IllegalArgumentException("data.records[].callId is missing or longer than " + MAX_CALL_ID);
            }
            events.add(new CloudEvent(
                    CloudEvent.SPEC_VERSION,
                    callId.asText(),
                    batch.source(),
                    RECORD_TYPE,
                    record.path("at").isTextual() ? record.get("at").asText() : batch.time(),
                    record.path("model").isTextual() ? record.get("model").asText() : null,
                    CloudEvent.JSON,
                    batch.tenant(),
                    record));
        }
        return events;
    }

    private UsageBatches() {}
}
