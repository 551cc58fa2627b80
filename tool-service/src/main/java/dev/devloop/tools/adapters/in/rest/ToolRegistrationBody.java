package dev.devloop.tools.adapters.in.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * Body of {@code POST /tools}: register or update one of the tenant's tools. {@code writesGraph} absent
 * takes the implementation's own (true for the graph-writing executors, which cannot be registered false).
 */
@RegisterForReflection
public record ToolRegistrationBody(
        String id,
        String description,
        JsonNode parameters,
        String kind,
        String implementation,
        List<String> allowedAgentTypes,
        Limits limits,
        Boolean enabled,
        Boolean writesGraph) {

    /** Optional limits; absent ones take the configured defaults. */
    @RegisterForReflection
    public record Limits(Long timeoutMs, Integer maxOutputBytes, Integer maxCallsPerRun) {}
}
