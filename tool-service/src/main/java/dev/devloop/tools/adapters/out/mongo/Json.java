package dev.devloop.tools.adapters.out.mongo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON values are stored as JSON text: schemas use {@code $} keys that BSON field names should not carry. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static String text(JsonNode node) {
        return node == null ? null : node.toString();
    }

    static JsonNode node(String text) {
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    private Json() {}
}
