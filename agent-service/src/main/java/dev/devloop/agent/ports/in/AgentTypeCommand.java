package dev.devloop.agent.ports.in;

import java.util.List;

/**
 * An agent type definition as a caller sent it, not yet validated: {@code ManageAgentTypesUseCase}
 * checks every field and names the first offending one.
 */
public record AgentTypeCommand(
        String type,
        String level,
        String description,
        String instructions,
        List<String> allowedChildTypes,
        String provider,
        String model,
        String promptTemplate,
        List<String> handoffTargets,
        Integer maxTurns,
        Long maxTokens,
        Long maxSeconds,
        Integer maxChildren,
        Double maxCostUsd,
        Integer maxConcurrentRuns,
        Boolean approveGraphWrites,
        String guardrailMode) {

    /** The same command naming {@code named} as its type. */
    public AgentTypeCommand named(String named) {
        return new AgentTypeCommand(
                named,
                level,
                description,
                instructions,
                allowedChildTypes,
                provider,
                model,
                promptTemplate,
                handoffTargets,
                maxTurns,
                maxTokens,
                maxSeconds,
                maxChildren,
                maxCostUsd,
                maxConcurrentRuns,
                approveGraphWrites,
                guardrailMode);
    }
}
