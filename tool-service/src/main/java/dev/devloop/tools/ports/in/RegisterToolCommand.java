package dev.devloop.tools.ports.in;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.tools.domain.ToolKind;
import java.util.List;

/**
 * A tenant's tool registration or update. Null limits take the configured defaults; {@code
 * implementation} names the built-in executor behind it (by default the id itself). A null {@code
 * writesGraph} takes the executor's own.
 */
public record RegisterToolCommand(
        String tenant,
        String id,
        String description,
        JsonNode parameters,
        ToolKind kind,
        String implementation,
        List<String> allowedAgentTypes,
        Long timeoutMs,
        Integer maxOutputBytes,
        Integer maxCallsPerRun,
        boolean enabled,
        Boolean writesGraph) {

    public RegisterToolCommand {
        tenant = Identifiers.tenant(tenant);
        id = Identifiers.required("id", id, Identifiers.TOOL_ID);
        if (description == null || description.isBlank()) {
            throw ToolRefusal.invalid("description", "description is required");
        }
        if (parameters == null || !parameters.isObject()) {
            throw ToolRefusal.invalid("parameters", "parameters must be a JSON-schema object");
        }
        if (kind == null) {
            throw ToolRefusal.invalid("kind", "kind must be one of native, knowledge, mcp, agent");
        }
        implementation = implementation == null || implementation.isBlank()
                ? id
                : Identifiers.required("implementation", implementation, Identifiers.TOOL_ID);
        if (allowedAgentTypes == null || allowedAgentTypes.isEmpty()) {
            throw ToolRefusal.invalid("allowedAgentTypes", "allowedAgentTypes must name at least one agent type or *");
        }
        for (String type : allowedAgentTypes) {
            if (!"*".equals(type)) {
                Identifiers.required("allowedAgentTypes", type, Identifiers.REFERENCE);
            }
        }
        allowedAgentTypes = List.copyOf(allowedAgentTypes);
    }
}
