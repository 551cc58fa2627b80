package dev.devloop.provider.adapters.out.langchain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.provider.application.ToolSchemas;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts a (validated) JSON schema into LangChain4j's {@link JsonSchemaElement} tree: objects,
 * strings, numbers, integers, booleans, arrays, enums, anyOf, nullable types and nested objects.
 * Schemas using keywords LangChain4j has no element for (format, pattern, minimum, ...) travel as
 * {@link JsonRawSchema} so nothing the caller wrote is lost.
 */
public final class SchemaConverter {
    private static final Set<String> MODELLED =
            Set.of("type", "description", "enum", "items", "properties", "required", "additionalProperties", "anyOf");
    private static final Set<String> TOP_LEVEL_IGNORED = Set.of("$schema", "title", "$id");

    private SchemaConverter() {}

    /** Converts a tool's top-level parameters (an object schema). */
    public static JsonObjectSchema parameters(JsonNode schema) {
        return object(schema);
    }

    static JsonSchemaElement element(JsonNode schema) {
        if (!isModelled(schema)) {
            return JsonRawSchema.from(schema.toString());
        }
        String description =
                schema.hasNonNull("description") ? schema.get("description").asText() : null;
        JsonNode enumValues = schema.get("enum");
        if (enumValues != null) {
            List<String> values = new ArrayList<>();
            for (JsonNode v : enumValues) {
                if (!v.isTextual()) {
                    return JsonRawSchema.from(schema.toString());
                }
                values.add(v.asText());
            }
            return JsonEnumSchema.builder()
                    .description(description)
                    .enumValues(values)
                    .build();
        }
        JsonNode anyOf = schema.get("anyOf");
        if (anyOf != null) {
            if (schema.has("type")) {
                return JsonRawSchema.from(schema.toString());
            }
            List<JsonSchemaElement> options = new ArrayList<>();
            for (JsonNode option : anyOf) {
                options.add(element(option));
            }
            return JsonAnyOfSchema.builder()
                    .description(description)
                    .anyOf(options)
                    .build();
        }
        JsonNode typeNode = schema.get("type");
        String type = ToolSchemas.singleType(typeNode, "schema");
        if (type == null) {
            return JsonRawSchema.from(schema.toString());
        }
        JsonSchemaElement typed = typed(type, schema, description);
        if (typeNode.isArray() && !"null".equals(type) && containsNull(typeNode)) {
            return JsonAnyOfSchema.builder()
                    .description(description)
                    .anyOf(typed, new JsonNullSchema())
                    .build();
        }
        return typed;
    }

    private static JsonSchemaElement typed(String type, JsonNode schema, String description) {
        return switch (type) {
            case "object" -> object(schema);
            case "string" -> JsonStringSchema.builder().description(description).build();
            case "integer" ->
                JsonIntegerSchema.builder().description(description).build();
            case "number" -> JsonNumberSchema.builder().description(description).build();
            case "boolean" ->
                JsonBooleanSchema.builder().description(description).build();
            case "array" -> {
                JsonArraySchema.Builder b = JsonArraySchema.builder().description(description);
                if (schema.has("items")) {
                    b.items(element(schema.get("items")));
                }
                yield b.build();
            }
            default -> new JsonNullSchema();
        };
    }

    private static JsonObjectSchema object(JsonNode schema) {
        JsonObjectSchema.Builder b = JsonObjectSchema.builder();
        if (schema.hasNonNull("description")) {
            b.description(schema.get("description").asText());
        }
        JsonNode properties = schema.get("properties");
        if (properties != null) {
            Map<String, JsonSchemaElement> converted = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = properties.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                converted.put(e.getKey(), element(e.getValue()));
            }
            b.addProperties(converted);
        }
        JsonNode required = schema.get("required");
        if (required != null) {
            List<String> names = new ArrayList<>();
            required.forEach(n -> names.add(n.asText()));
            b.required(names);
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && additional.isBoolean()) {
            b.additionalProperties(additional.asBoolean());
        }
        return b.build();
    }

    private static boolean isModelled(JsonNode schema) {
        Iterator<String> names = schema.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!MODELLED.contains(name) && !TOP_LEVEL_IGNORED.contains(name)) {
                return false;
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        return additional == null || additional.isBoolean();
    }

    private static boolean containsNull(JsonNode typeArray) {
        for (JsonNode t : typeArray) {
            if ("null".equals(t.asText())) {
                return true;
            }
        }
        return false;
    }
}
