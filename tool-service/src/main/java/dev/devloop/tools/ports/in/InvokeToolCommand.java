package dev.devloop.tools.ports.in;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * One tool call as received. Validates its own shape; absent arguments mean an empty object, and an
 * idempotency key makes a retry with the same (tenant, runId, key) answer from the first execution.
 */
public record InvokeToolCommand(
        String tenant,
        String toolId,
        JsonNode arguments,
        String agentType,
        String agentId,
        String runId,
        String idempotencyKey) {

    public InvokeToolCommand {
        tenant = Identifiers.tenant(tenant);
        toolId = Identifiers.required("id", toolId, Identifiers.TOOL_ID);
        if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
            arguments = JsonNodeFactory.instance.objectNode();
        }
        if (!arguments.isObject()) {
            throw ToolRefusal.invalid("arguments", "arguments must be a JSON object");
        }
        agentType = Identifiers.required("agentType", agentType, Identifiers.REFERENCE);
        agentId = Identifiers.optional("agentId", agentId, Identifiers.REFERENCE);
        runId = Identifiers.optional("runId", runId, Identifiers.REFERENCE);
        idempotencyKey = Identifiers.optional("idempotencyKey", idempotencyKey, Identifiers.REFERENCE);
    }
}
