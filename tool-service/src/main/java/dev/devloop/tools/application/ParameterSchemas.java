package dev.devloop.tools.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.tools.domain.ParameterSchema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules a tool's parameter schema must meet before it is registered (over Jackson's tree, hence application, not
 * domain): an object schema that is
 * self-contained (only local {@code #...} references, no {@code $id} re-basing, a known dialect), so
 * validating arguments never reaches the network.
 */
public final class ParameterSchemas {
    /** Dialects accepted in {@code $schema}; absent means 2020-12. */
    public static final Set<String> DIALECTS = Set.of(
            "https://json-schema.org/draft/2020-12/schema",
            "https://json-schema.org/draft/2019-09/schema",
            "http://json-schema.org/draft-07/schema#",
            "http://json-schema.org/draft-07/schema");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> REFERENCE_KEYWORDS = Set.of("$ref", "$dynamicRef", "$recursiveRef");

    /** What is wrong with the schema; empty when it may be registered. */
    public static List<String> problems(JsonNode schema) {
        List<String> problems = new ArrayList<>();
        if (schema == null || !schema.isObject()) {
            problems.add("the parameter schema must be a JSON object");
            return problems;
        }
        if (!"object".equals(schema.path("type").asText())) {
            problems.add("the parameter schema must have \"type\": \"object\"");
        }
        JsonNode dialect = schema.get("$schema");
        if (dialect != null && !DIALECTS.contains(dialect.asText())) {
            problems.add("$schema must be one of " + DIALECTS);
        }
        walk(schema, "", problems, true);
        return problems;
    }

    private static void walk(JsonNode node, String path, List<String> problems, boolean root) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "/" + i, problems, false);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (REFERENCE_KEYWORDS.contains(key)
                    && (!value.isTextual() || !value.asText().startsWith("#"))) {
                problems.add(path + "/" + key + " must be a local reference starting with #");
            }
            if ("$id".equals(key) && value.isTextual()) {
                problems.add(path + "/$id is not allowed: parameter schemas are self-contained");
            }
            if ("$schema".equals(key) && !root && value.isTextual()) {
                problems.add(path + "/$schema is only allowed at the root");
            }
            walk(value, path + "/" + key, problems, false);
        }
    }

    /** The domain's schema: the compact JSON text of {@code schema}. */
    public static ParameterSchema of(JsonNode schema) {
        return new ParameterSchema(schema == null ? "null" : schema.toString());
    }

    /** The JSON tree of a stored schema. */
    public static JsonNode tree(ParameterSchema schema) {
        try {
            return JSON.readTree(schema.json());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored parameter schema is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private ParameterSchemas() {}
}
