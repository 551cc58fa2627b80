package dev.devloop.contracts.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Tenants;
import java.nio.charset.StandardCharsets;

/**
 * The one way to write and read the CloudEvents on Devloop's topics (structured JSON mode, {@code tenant}
 * extension), with one strictness for every consumer: bounded size, a JSON object, {@code specversion} 1.0, a
 * bounded non-blank {@code id}, non-blank {@code source} and {@code type}, a valid {@code tenant} attribute and an
 * object as {@code data}. Every refusal names the attribute to fix.
 */
public final class CloudEventCodec {
    /** Bounds of what a consumer reads. */
    public record Limits(int maxBytes, int maxIdLength) {
        public static final Limits DEFAULT = new Limits(256 * 1024, 200);

        public Limits {
            if (maxBytes < 1 || maxIdLength < 1) {
                throw new IllegalArgumentException("event limits must be positive");
            }
        }
    }

    private static final int MAX_NAME_LENGTH = 256;

    private final ObjectMapper json;

    public CloudEventCodec(ObjectMapper json) {
        this.json = json;
    }

    /** The record value of an event. */
    public String encode(CloudEvent event) {
        if (event == null || !event.isValid() || event.tenant() == null) {
            throw new IllegalArgumentException("an event needs id, source, type, tenant and data");
        }
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.type() + " is not serialisable", e);
        }
    }

    /** The event in a record value, checked; anything unusable is an {@link InvalidEventException}. */
    public CloudEvent decode(String payload, Limits limits) {
        if (payload == null || payload.isBlank()) {
            throw InvalidEventException.malformed("empty record");
        }
        if (payload.length() > limits.maxBytes()
                || payload.getBytes(StandardCharsets.UTF_8).length > limits.maxBytes()) {
            throw InvalidEventException.malformed("event larger than " + limits.maxBytes() + " bytes");
        }
        JsonNode node;
        try {
            node = json.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(
                    InvalidEventException.Kind.MALFORMED, "not a JSON CloudEvent: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw InvalidEventException.malformed("a CloudEvent is a JSON object");
        }
        String specversion = text(node, "specversion");
        if (!CloudEvent.SPEC_VERSION.equals(specversion)) {
            throw InvalidEventException.malformed("the CloudEvent attribute 'specversion' must be \"1.0\"");
        }
        String id = required(node, "id", limits.maxIdLength());
        String source = required(node, "source", MAX_NAME_LENGTH);
        String type = required(node, "type", MAX_NAME_LENGTH);
        String tenant = text(node, "tenant");
        if (tenant == null || tenant.isBlank()) {
            throw InvalidEventException.malformed(
                    "event " + id + ": the CloudEvent extension attribute 'tenant' is required");
        }
        if (!Tenants.PATTERN.matcher(tenant).matches()) {
            throw InvalidEventException.malformed(
                    "event " + id + ": the CloudEvent attribute 'tenant' must match " + Tenants.PATTERN.pattern());
        }
        String contentType = text(node, "datacontenttype");
        if (contentType != null && !contentType.startsWith(CloudEvent.JSON)) {
            throw InvalidEventException.malformed(
                    "event " + id + ": the CloudEvent attribute 'datacontenttype' must be application/json");
        }
        JsonNode data = node.get("data");
        if (data == null || !data.isObject()) {
            throw InvalidEventException.malformed(
                    "event " + id + ": the CloudEvent attribute 'data' must be an object");
        }
        return new CloudEvent(
                specversion, id, source, type, text(node, "time"), text(node, "subject"), contentType, tenant, data);
    }

    private static String required(JsonNode node, String attribute, int maxLength) {
        String value = text(node, attribute);
        if (value == null || value.isBlank()) {
            throw InvalidEventException.malformed("the CloudEvent attribute '" + attribute + "' is required");
        }
        if (value.length() > maxLength) {
            throw InvalidEventException.malformed(
                    "the CloudEvent attribute '" + attribute + "' is longer than " + maxLength + " characters");
        }
        return value;
    }

    private static String text(JsonNode node, String attribute) {
        JsonNode value = node.get(attribute);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw InvalidEventException.malformed("the CloudEvent attribute '" + attribute + "' must be a string");
        }
        return value.asText();
    }
}
