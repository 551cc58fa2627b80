package dev.devloop.tools.adapters.in.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.devloop.contracts.tools.ToolInvocationResult;
import dev.devloop.tools.domain.ToolDefinition;
import dev.devloop.tools.ports.in.InvocationResult;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Wire shapes of the registry API and their mapping from the domain. */
final class ToolViews {

    /**
     * A registration as {@code GET /tools/{id}} shows it ({@code parameters}: the stored schema's JSON text, written
     * as JSON); {@code scope} is {@code shipped} or {@code tenant}.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ToolView(
            String id,
            String scope,
            String description,

            @Schema(type = SchemaType.OBJECT, description = "The arguments' JSON Schema") @JsonRawValue
            String parameters,

            String kind,
            String implementation,
            List<String> allowedAgentTypes,
            LimitsView limits,
            boolean enabled,
            String updatedAt,
            boolean writesGraph) {}

    /**
     * A tool as {@code GET /tools} offers it: contracts' {@code ToolSpec} fields ({@code name, description,
     * parameters}, so a client reading a {@code ToolSpec} still can) plus {@code writesGraph}.
     */
    @RegisterForReflection
    record SpecView(
            String name,
            String description,

            @Schema(type = SchemaType.OBJECT, description = "The arguments' JSON Schema") @JsonRawValue
            String parameters,

            boolean writesGraph) {}

    /** A tool's limits on the wire. */
    @RegisterForReflection
    record LimitsView(long timeoutMs, int maxOutputBytes, int maxCallsPerRun) {}

    static SpecView spec(ToolDefinition t) {
        return new SpecView(t.id(), t.description(), t.parameters().json(), t.writesGraph());
    }

    static ToolView view(ToolDefinition t) {
        return new ToolView(
                t.id(),
                t.shipped() ? "shipped" : "tenant",
                t.description(),
                t.parameters().json(),
                t.kind().wire(),
                t.implementation(),
                t.allowedAgentTypes(),
                new LimitsView(
                        t.limits().timeoutMs(),
                        t.limits().maxOutputBytes(),
                        t.limits().maxCallsPerRun()),
                t.enabled(),
                t.updatedAt().toString(),
                t.writesGraph());
    }

    static ToolInvocationResult result(InvocationResult r) {
        return new ToolInvocationResult(
                r.invocationId(), r.toolId(), r.status(), r.output(), r.error(), r.durationMs(), r.replayed());
    }

    private ToolViews() {}
}
