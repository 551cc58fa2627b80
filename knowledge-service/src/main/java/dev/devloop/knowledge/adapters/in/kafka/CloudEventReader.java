package dev.devloop.knowledge.adapters.in.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Tenants;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.knowledge.config.KnowledgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/** Parses and checks structured-mode JSON CloudEvents; anything unusable is a {@link PoisonEventException}. */
@ApplicationScoped
public class CloudEventReader {
    private final ObjectMapper json;
    private final int maxEventBytes;
    private final int maxForgeEventBytes;
    private final int maxIdLength;

    public CloudEventReader(ObjectMapper json, KnowledgeConfig config) {
        this.json = json;
        this.maxEventBytes = config.events().maxEventBytes();
        this.maxForgeEventBytes = config.events().maxForgeEventBytes();
        this.maxIdLength = config.facts().maxKeyLength();
    }

    /** The event, with a valid envelope, a tenant and an object as data. */
    public CloudEvent read(String payload) {
        return read(payload, maxEventBytes);
    }

    /** {@link #read(String)} with the forge events' larger size bound. */
    public CloudEvent readForge(String payload) {
        return read(payload, maxForgeEventBytes);
    }

    private CloudEvent read(String payload, int maxEventBytes) {
        if (payload == null || payload.isBlank()) {
            throw new PoisonEventException("empty record");
        }
        if (payload.getBytes(StandardCharsets.UTF_8).length > maxEventBytes) {
            throw new PoisonEventException("event larger than " + maxEventBytes + " bytes");
        }
        CloudEvent event;
        try {
            event = json.readValue(payload, CloudEvent.class);
        } catch (JsonProcessingException e) {
            throw new PoisonEventException("not a JSON CloudEvent: " + e.getOriginalMessage(), e);
        }
        if (event == null || !event.isValid()) {
            throw new PoisonEventException("CloudEvent without id, source, type or data");
        }
        if (event.id().length() > maxIdLength) {
            throw new PoisonEventException("event id longer than " + maxIdLength + " characters");
        }
        if (event.tenant() == null || !Tenants.PATTERN.matcher(event.tenant()).matches()) {
            throw new PoisonEventException("event " + event.id() + " has no valid tenant extension");
        }
        if (!event.data().isObject()) {
            throw new PoisonEventException("event " + event.id() + " data is not an object");
        }
        return event;
    }

    /** A required, non-blank text field of the data, at most the configured id length. */
    public String requiredText(CloudEvent event, String field) {
        String value = optionalText(event, field);
        if (value == null || value.isBlank()) {
            throw new PoisonEventException("event " + event.id() + " lacks data." + field);
        }
        return value;
    }

    /** An optional text field of the data; null when absent or JSON null. */
    public String optionalText(CloudEvent event, String field) {
        JsonNode node = event.data().get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new PoisonEventException("event " + event.id() + " data." + field + " is not a string");
        }
        return node.asText();
    }

    /** The JSON text of a data field, or null when absent or JSON null. */
    public String jsonText(CloudEvent event, String field) {
        JsonNode node = event.data().get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new PoisonEventException("event " + event.id() + " data." + field + " is not serialisable", e);
        }
    }

    /** An optional whole-number field of the data. */
    public Long optionalLong(CloudEvent event, String field) {
        JsonNode node = event.data().get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new PoisonEventException("event " + event.id() + " data." + field + " is not a whole number");
        }
        return node.asLong();
    }
}
