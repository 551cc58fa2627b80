package dev.devloop.tools.adapters.in.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /tools}: register or update one of the tenant's tools. {@code writesGraph} absent
 * takes the implementation's own (true for the graph-writing executors, which cannot be registered false).
 */
@RegisterForReflection
public record ToolRegistrationBody(
        String id,
        String description,
        // free-form by design: any JSON Schema (draft 2020-12) object the registry accepts
        @Schema(
                type = SchemaType.OBJECT,
                implementation = Object.class,
                description = "The arguments' JSON Schema (an object schema; checked before every call)")
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
