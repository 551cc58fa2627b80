package dev.devloop.tools.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.tools.application.ToolSettings;
import dev.devloop.tools.domain.ParameterSchema;
import dev.devloop.tools.domain.ToolDefinition;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.domain.ToolLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Shared test data: the real shipped tool file, settings, JSON helpers and unique tenants. */
public final class Fixtures {
    public static final ObjectMapper JSON = new ObjectMapper();

    public static ToolSettings settings() {
        return new ToolSettings(
                10_000, 60_000, 65_536, 1_048_576, 1000, 5, 2000, 16_384, 131_072, 50, 2000, 10, 30_000, 3000, 1000,
                30_000);
    }

    public static String tenant() {
        return "t-" + UUID.randomUUID();
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tools of {@code shipped-tools.json}, exactly as the service ships them. */
    public static List<ToolDefinition> shippedTools() {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream("shipped-tools.json")) {
            List<ToolDefinition> tools = new ArrayList<>();
            for (JsonNode t : JSON.readTree(in)) {
                List<String> allowed = new ArrayList<>();
                t.path("allowedAgentTypes").forEach(a -> allowed.add(a.asText()));
                JsonNode l = t.path("limits");
                tools.add(new ToolDefinition(
                        t.path("id").asText(),
                        ToolDefinition.SHIPPED,
                        t.path("description").asText(),
                        new ParameterSchema(t.path("parameters").toString()),
                        ToolKind.fromWire(t.path("kind").asText()),
                        t.path("implementation").asText(t.path("id").asText()),
                        allowed,
                        new ToolLimits(
                                l.path("timeoutMs").asLong(),
                                l.path("maxOutputBytes").asInt(),
                                l.path("maxCallsPerRun").asInt()),
                        t.path("enabled").asBoolean(true),
                        Instant.EPOCH,
                        t.path("writesGraph").asBoolean(false)));
            }
            return tools;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A native test tool with an open schema and the given limits and allowed types. */
    public static ToolDefinition tool(String id, ToolLimits limits, String... allowedAgentTypes) {
        return new ToolDefinition(
                id,
                ToolDefinition.SHIPPED,
                "test tool " + id,
                new ParameterSchema(
                        "{\"type\":\"object\",\"properties\":{\"size\":{\"type\":\"integer\",\"minimum\":0}}}"),
                ToolKind.NATIVE,
                id,
                List.of(allowedAgentTypes),
                limits,
                true,
                Instant.EPOCH);
    }

    private Fixtures() {}
}
