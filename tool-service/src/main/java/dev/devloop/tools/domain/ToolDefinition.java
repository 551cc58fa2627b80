package dev.devloop.tools.domain;

import java.time.Instant;
import java.util.List;

/**
 * A registered tool. {@code scope} is {@link #SHIPPED} for the set every tenant sees, or the tenant
 * that registered it; {@code implementation} names the executor that runs it (by default its id).
 * {@code writesGraph} says a call changes the knowledge graph (agent-service gates such calls behind an
 * operator's approval when the agent's definition asks for it). {@code parameters} is the JSON schema of its arguments.
 */
public record ToolDefinition(
        String id,
        String scope,
        String description,
        ParameterSchema parameters,
        ToolKind kind,
        String implementation,
        List<String> allowedAgentTypes,
        ToolLimits limits,
        boolean enabled,
        Instant updatedAt,
        boolean writesGraph) {

    /** Scope of the tools shipped with the service, visible to every tenant. */
    public static final String SHIPPED = "*";
    /** Entry of {@link #allowedAgentTypes} that admits every agent type. */
    public static final String ANY_AGENT_TYPE = "*";

    public ToolDefinition {
        allowedAgentTypes = List.copyOf(allowedAgentTypes);
    }

    /** A registration that does not write the knowledge graph. */
    public ToolDefinition(
            String id,
            String scope,
            String description,
            ParameterSchema parameters,
            ToolKind kind,
            String implementation,
            List<String> allowedAgentTypes,
            ToolLimits limits,
            boolean enabled,
            Instant updatedAt) {
        this(
                id,
                scope,
                description,
                parameters,
                kind,
                implementation,
                allowedAgentTypes,
                limits,
                enabled,
                updatedAt,
                false);
    }

    /** True when an agent of this type may call the tool. */
    public boolean allows(String agentType) {
        return allowedAgentTypes.contains(ANY_AGENT_TYPE) || allowedAgentTypes.contains(agentType);
    }

    public boolean shipped() {
        return SHIPPED.equals(scope);
    }

    public ToolDefinition disabled(Instant at) {
        return new ToolDefinition(
                id,
                scope,
                description,
                parameters,
                kind,
                implementation,
                allowedAgentTypes,
                limits,
                false,
                at,
                writesGraph);
    }
}
