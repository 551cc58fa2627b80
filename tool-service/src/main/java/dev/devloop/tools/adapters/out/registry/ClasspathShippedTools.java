package dev.devloop.tools.adapters.out.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.tools.config.ToolServiceConfig;
import dev.devloop.tools.domain.ParameterSchema;
import dev.devloop.tools.domain.ToolDefinition;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.domain.ToolLimits;
import dev.devloop.tools.ports.out.ShippedToolsPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the shipped tool set from a classpath JSON resource. */
@ApplicationScoped
class ClasspathShippedTools implements ShippedToolsPort {
    private final ObjectMapper json;
    private final ToolServiceConfig config;

    ClasspathShippedTools(ObjectMapper json, ToolServiceConfig config) {
        this.json = json;
        this.config = config;
    }

    @Override
    public List<ToolDefinition> shippedTools() {
        String resource = config.shippedToolsResource();
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("shipped tools resource " + resource + " is missing");
            }
            List<ToolDefinition> tools = new ArrayList<>();
            for (JsonNode t : json.readTree(in)) {
                ToolKind kind = ToolKind.fromWire(t.path("kind").asText());
                if (kind == null) {
                    throw new IllegalStateException(
                            resource + ": tool " + t.path("id").asText() + " has an unknown kind");
                }
                List<String> allowed = new ArrayList<>();
                t.path("allowedAgentTypes").forEach(a -> allowed.add(a.asText()));
                JsonNode limits = t.path("limits");
                tools.add(new ToolDefinition(
                        t.path("id").asText(),
                        ToolDefinition.SHIPPED,
                        t.path("description").asText(),
                        new ParameterSchema(
                                t.path("parameters").isMissingNode()
                                        ? "null"
                                        : t.path("parameters").toString()),
                        kind,
                        t.path("implementation").asText(t.path("id").asText()),
                        allowed,
                        new ToolLimits(
                                limits.path("timeoutMs").asLong(config.defaultTimeoutMs()),
                                limits.path("maxOutputBytes").asInt(config.defaultMaxOutputBytes()),
                                limits.path("maxCallsPerRun").asInt(0)),
                        t.path("enabled").asBoolean(true),
                        Instant.EPOCH,
                        t.path("writesGraph").asBoolean(false)));
            }
            return tools;
        } catch (IOException e) {
            throw new UncheckedIOException("shipped tools resource " + resource + " is unreadable", e);
        }
    }
}
