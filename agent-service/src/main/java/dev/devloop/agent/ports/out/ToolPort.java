package dev.devloop.agent.ports.out;

import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.contracts.tools.ToolInvocationRequest;
import dev.devloop.contracts.tools.ToolInvocationResult;
import java.util.List;

/** Outgoing port to tool-service: which tools a type may use, and running one. */
public interface ToolPort {
    List<ToolSpec> specsFor(String tenant, String agentType);

    /**
     * The most calls one run may make of {@code toolId}, from the tool's registration in tool-service
     * ({@code limits.maxCallsPerRun}); empty when the registry has no such tool or cannot tell.
     */
    default java.util.OptionalInt maxCallsPerRun(String tenant, String toolId) {
        return java.util.OptionalInt.empty();
    }

    /**
     * Whether {@code toolId}'s registration in tool-service says it writes the knowledge graph
     * ({@code writesGraph}, absent = false); the approval gate holds such calls for an operator.
     */
    default boolean writesGraph(String tenant, String toolId) {
        return false;
    }

    /**
     * Whether {@code toolId} is switched on for {@code tenant} in tool-service's registry: false only when its
     * registration says {@code enabled: false}; true when the registry has no such tool or cannot tell.
     */
    default boolean enabled(String tenant, String toolId) {
        return true;
    }

    /** Throws {@link DownstreamException} when the call is denied, invalid or tool-service fails. */
    ToolInvocationResult invoke(String tenant, String toolId, ToolInvocationRequest request);
}
