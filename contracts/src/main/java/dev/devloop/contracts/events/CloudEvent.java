package dev.devloop.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event in structured JSON mode with the {@code tenant} extension (docs/design.md §3).
 * The payload stays a {@link JsonNode} so consumers map it to their own types at the edge.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
        String specversion,
        String id,
        String source,
        String type,
        String time,
        String subject,
        String datacontenttype,
        String tenant,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";

    public static CloudEvent of(String source, String type, String subject, String tenant, JsonNode data) {
        return new CloudEvent(
                SPEC_VERSION,
                UUID.randomUUID().toString(),
                source,
                type,
                Instant.now().toString(),
                subject,
                JSON,
                tenant,
                data);
    }

    /** True when the envelope carries what every consumer relies on. */
    public boolean isValid() {
        return id != null && !id.isBlank() && type != null && !type.isBlank() && source != null && data != null;
    }
}
