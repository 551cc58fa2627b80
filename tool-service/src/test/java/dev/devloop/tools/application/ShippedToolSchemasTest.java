package dev.devloop.tools.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped tools' parameter schemas stay inside what provider-gateway's model boundary accepts: one non-null type
 * per schema (several are written as {@code anyOf}). A {@code "type": ["string", "number"]} made every model call of
 * an agent offered that tool fail with a 400 (the repair agent, through update_config's {@code value}).
 */
class ShippedToolSchemasTest {
    @Test
    void noShippedSchemaDeclaresMoreThanOneNonNullType() throws IOException {
        JsonNode tools;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("shipped-tools.json")) {
            tools = new ObjectMapper().readTree(in);
        }
        List<String> offending = new ArrayList<>();
        for (JsonNode tool : tools) {
            collect(tool.path("parameters"), tool.path("id").asText(), offending);
        }
        assertThat(tools).hasSizeGreaterThan(40);
        assertThat(offending).isEmpty();
    }

    private static void collect(JsonNode schema, String path, List<String> offending) {
        if (schema.isObject()) {
            JsonNode type = schema.get("type");
            if (type != null && type.isArray()) {
                long nonNull = 0;
                for (JsonNode t : type) {
                    nonNull += "null".equals(t.asText()) ? 0 : 1;
                }
                if (nonNull > 1) {
                    offending.add(path + ".type " + type);
                }
            }
            schema.fields().forEachRemaining(e -> collect(e.getValue(), path + "." + e.getKey(), offending));
        } else if (schema.isArray()) {
            for (int i = 0; i < schema.size(); i++) {
                collect(schema.get(i), path + "[" + i + "]", offending);
            }
        }
    }
}
