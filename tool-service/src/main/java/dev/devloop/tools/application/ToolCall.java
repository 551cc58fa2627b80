package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.tools.domain.ToolDefinition;

/** What an executor gets: the validated arguments, the tool and who is calling, for which tenant. */
public record ToolCall(
        String tenant, ToolDefinition tool, JsonNode arguments, String agentType, String agentId, String runId) {}
