package dev.devloop.provider.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.problem.Refusal;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Checks that a tool's parameters are a JSON schema the gateway can hand to every provider. */
public final class ToolSchemas {
    static final Set<String> TYPES = Set.of("object", "string", "number", "integer", "boolean", "array", "null");

    private ToolSchemas() {}

    /** Validates a tool's top-level parameters: an object schema. */
    static void validateParameters(JsonNode schema, String field, int maxDepth) {
        if (!schema.isObject()) {
            throw Refusal.invalid(field, "tool parameters must be a JSON-schema object");
        }
        JsonNode type = schema.get("type");
        if (type == null || !type.isTextual() || !"object".equals(type.asText())) {
            throw Refusal.invalid(field, "tool parameters must be an object schema (\"type\": \"object\")");
        }
        validate(schema, field, 0, maxDepth);
    }

    private static void validate(JsonNode schema, String field, int depth, int maxDepth) {
        if (depth > maxDepth) {
            throw Refusal.invalid(field, "schema nests deeper than " + maxDepth + " levels");
        }
        if (!schema.isObject()) {
            throw Refusal.invalid(field, "must be a JSON-schema object");
        }
        JsonNode description = schema.get("description");
        if (description != null && !description.isTextual()) {
            throw Refusal.invalid(field + ".description", "must be a string");
        }
        JsonNode enumValues = schema.get("enum");
        if (enumValues != null && (!enumValues.isArray() || enumValues.isEmpty())) {
            throw Refusal.invalid(field + ".enum", "must be a non-empty array");
        }
        JsonNode anyOf = schema.get("anyOf");
        if (anyOf != null) {
            if (!anyOf.isArray() || anyOf.isEmpty()) {
                throw Refusal.invalid(field + ".anyOf", "must be a non-empty array of schemas");
            }
            for (int i = 0; i < anyOf.size(); i++) {
                validate(anyOf.get(i), field + ".anyOf[" + i + "]", depth + 1, maxDepth);
            }
        }
        String type = singleType(schema.get("type"), field);
        if (type == null) {
            return;
        }
        switch (type) {
            case "object" -> validateObject(schema, field, depth, maxDepth);
            case "array" -> {
                JsonNode items = schema.get("items");
                if (items != null) {
                    validate(items, field + ".items", depth + 1, maxDepth);
                }
            }
            default -> {}
        }
    }

    private static void validateObject(JsonNode schema, String field, int depth, int maxDepth) {
        JsonNode properties = schema.get("properties");
        if (properties != null) {
            if (!properties.isObject()) {
                throw Refusal.invalid(field + ".properties", "must be an object of schemas");
            }
            Iterator<Map.Entry<String, JsonNode>> it = properties.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                validate(e.getValue(), field + ".properties." + e.getKey(), depth + 1, maxDepth);
            }
        }
        JsonNode required = schema.get("required");
        if (required != null) {
            if (!required.isArray()) {
                throw Refusal.invalid(field + ".required", "must be an array of property names");
            }
            for (JsonNode name : required) {
                if (!name.isTextual() || properties == null || !properties.has(name.asText())) {
                    throw Refusal.invalid(field + ".required", "names a property the schema does not define: " + name);
                }
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && !additional.isBoolean() && !additional.isObject()) {
            throw Refusal.invalid(field + ".additionalProperties", "must be a boolean or a schema");
        }
    }

    /**
     * The schema's single non-null type; {@code ["string","null"]} counts as {@code string}. Null when
     * the schema has no type (an enum, anyOf or free-form schema).
     */
    public static String singleType(JsonNode type, String field) {
        if (type == null) {
            return null;
        }
        if (type.isTextual()) {
            if (!TYPES.contains(type.asText())) {
                throw Refusal.invalid(field + ".type", "unknown JSON-schema type '" + type.asText() + "'");
            }
            return type.asText();
        }
        if (type.isArray()) {
            String chosen = null;
            for (JsonNode t : type) {
                if (!t.isTextual() || !TYPES.contains(t.asText())) {
                    throw Refusal.invalid(field + ".type", "unknown JSON-schema type " + t);
                }
                if (!"null".equals(t.asText())) {
                    if (chosen != null) {
                        throw Refusal.invalid(field + ".type", "at most one non-null type is supported; use anyOf");
                    }
                    chosen = t.asText();
                }
            }
            return chosen == null ? "null" : chosen;
        }
        throw Refusal.invalid(field + ".type", "must be a string or an array of strings");
    }
}
