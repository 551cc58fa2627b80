package dev.devloop.contracts.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Body of tool-service's {@code POST /tools/{id}/invocations}. {@code idempotencyKey} is the model's
 * tool-call id (scoped by run), so a retried or resumed call is answered from the first execution.
 * The tenant travels in the {@code X-Devloop-Tenant} header.
 */
@RegisterForReflection
public record ToolInvocationRequest(
        JsonNode arguments, String agentType, String agentId, String runId, String idempotencyKey) {}
