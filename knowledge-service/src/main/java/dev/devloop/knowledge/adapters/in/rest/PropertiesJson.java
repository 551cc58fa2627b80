package dev.devloop.knowledge.adapters.in.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.problem.ProblemException;

/** The free-form {@code properties} of entities and relationships: a JSON object in a body, JSON text in the store. */
final class PropertiesJson {
    private PropertiesJson() {}

    /** The body's properties as JSON text, null when absent; anything but an object is a 400 naming the field. */
    static String text(ObjectMapper json, JsonNode properties) {
        if (properties == null || properties.isNull()) {
            return null;
        }
        if (!properties.isObject()) {
            throw ProblemException.badRequest("properties", "properties must be a JSON object");
        }
        try {
            return json.writeValueAsString(properties);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("properties", "properties are not serialisable");
        }
    }

    /** Stored properties back as JSON. */
    static JsonNode tree(ObjectMapper json, String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored properties are not JSON", e);
        }
    }
}
