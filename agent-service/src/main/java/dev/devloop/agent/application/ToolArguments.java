package dev.devloop.agent.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.ports.out.DownstreamException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the orchestration tools share: argument reading and bounds, refusals, and the JSON they answer with. */
final class ToolArguments {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SERVICE = "agent-service";
    static final int MAX_SCOPE = 20;
    static final int MAX_NAME = 64;

    /** tool-service's registrations spell arguments in snake_case; both spellings are accepted. */
    private static final Map<String, String> ALIASES = Map.of(
            "type",
            "agent_type",
            "agentType",
            "agent_type",
            "toAgentType",
            "to_agent_type",
            "agentId",
            "agent_id",
            "input",
            "task");

    private ToolArguments() {}

    static DownstreamException refused(int status, String message) {
        return new DownstreamException(SERVICE, status, message, null);
    }

    /** Refuses (403) a spawning tool to a type without child types. */
    static void requireSpawner(AgentDefinition d, String tool) {
        if (!d.canSpawn()) {
            throw refused(403, d.type() + " may not call " + tool + ": it has no child types");
        }
    }

    /** A tool scope: at most {@link #MAX_SCOPE} tool names; absent: none (every tool the type may call). */
    static List<String> scope(JsonNode tools) {
        if (tools.isMissingNode() || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray() || tools.size() > MAX_SCOPE) {
            throw refused(400, "tools must be an array of at most " + MAX_SCOPE + " tool names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode t : tools) {
            if (!t.isTextual() || t.asText().isBlank() || t.asText().length() > MAX_NAME) {
                throw refused(400, "tools must hold tool names of 1 to " + MAX_NAME + " characters");
            }
            names.add(t.asText());
        }
        return names;
    }

    private static JsonNode field(JsonNode node, String field) {
        JsonNode value = node.path(field);
        String alias = ALIASES.get(field);
        return (value.isMissingNode() || value.isNull()) && alias != null ? node.path(alias) : value;
    }

    /** A string argument of at most {@code maxChars} (a required one not blank), either spelling; null when absent. */
    static String text(JsonNode node, String field, boolean required, int maxChars) {
        JsonNode value = field(node, field);
        if (value.isObject() && "context".equals(field)) {
            value = JSON.getNodeFactory().textNode(value.toString()); // a JSON object of facts, handed over as text
        }
        if (value.isMissingNode() || value.isNull()) {
            if (required) {
                throw refused(400, field + " is required");
            }
            return null;
        }
        if (!value.isTextual()
                || (required && value.asText().isBlank())
                || value.asText().length() > maxChars) {
            throw refused(400, field + " must be a string of at most " + maxChars + " characters");
        }
        return value.asText();
    }

    static ObjectNode agentNode(Agent a) {
        ObjectNode node = JSON.createObjectNode()
                .put("agentId", a.id())
                .put("type", a.type())
                .put("level", a.level().name().toLowerCase())
                .put("status", a.status().name());
        if (!a.toolScope().isEmpty()) {
            ArrayNode tools = node.putArray("tools");
            a.toolScope().forEach(tools::add);
        }
        return node;
    }

    static ObjectNode runNode(Run r) {
        ObjectNode node = JSON.createObjectNode()
                .put("runId", r.id())
                .put("status", r.status().name());
        if (r.result() != null) {
            node.put("result", r.result());
        }
        if (r.error() != null) {
            node.put("error", r.error());
        }
        return node;
    }

    /** An empty object schema ({@code {"type":"object","properties":{}}}). */
    static ObjectNode object() {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        schema.putObject("properties");
        return schema;
    }
}
