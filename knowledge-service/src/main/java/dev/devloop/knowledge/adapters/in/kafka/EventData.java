package dev.devloop.knowledge.adapters.in.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.events.CloudEvent;

/**
 * Typed reads of an accepted event's {@code data} (the envelope is the seam's, {@link EventIntake}); a field of the
 * wrong shape makes the event a {@link PoisonEventException} naming it.
 */
final class EventData {
    private EventData() {}

    /** A required, non-blank text field of the data. */
    static String requiredText(CloudEvent event, String field) {
        String value = optionalText(event, field);
        if (value == null || value.isBlank()) {
            throw new PoisonEventException("event " + event.id() + " lacks data." + field);
        }
        return value;
    }

    /** An optional text field of the data; null when absent or JSON null. */
    static String optionalText(CloudEvent event, String field) {
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
    static String jsonText(CloudEvent event, String field) {
        JsonNode node = event.data().get(field);
        return node == null || node.isNull() ? null : node.toString();
    }

    /** An optional whole-number field of the data. */
    static Long optionalLong(CloudEvent event, String field) {
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
