package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.tools.ports.in.ToolRefusal;

/** Reads a tool call's already schema-checked arguments; a missing or out-of-range one is a 400 naming it. */
final class ToolArguments {
    private ToolArguments() {}

    static String required(JsonNode args, String field) {
        String value = args.path(field).asText("");
        if (value.isBlank()) {
            throw ToolRefusal.invalid(field, field + " is required for this call");
        }
        return value;
    }

    static String optional(JsonNode args, String field) {
        String value = args.path(field).asText("");
        return value.isBlank() ? null : value;
    }

    static int bounded(JsonNode args, String field, int fallback, int max) {
        JsonNode value = args.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        int n = value.asInt();
        if (n < 1 || n > max) {
            throw ToolRefusal.invalid(field, field + " must be between 1 and " + max);
        }
        return n;
    }
}
