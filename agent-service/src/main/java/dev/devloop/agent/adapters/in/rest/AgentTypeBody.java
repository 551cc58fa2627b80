package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.ports.in.AgentTypeCommand;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * Body of {@code POST /agent-types} and {@code PUT /agent-types/{type}}: the same shape as a shipped
 * definition in {@code agent-definitions.json}. Validation happens in the use case, which names the field.
 */
@RegisterForReflection
public record AgentTypeBody(
        String type,
        String level,
        String description,
        String instructions,
        List<String> allowedChildTypes,
        String provider,
        String model,
        String promptTemplate,
        List<String> handoffTargets,
        Limits limits,
        Approval approval,
        String guardrailMode) {

    /** The budgets of one run of an agent of this type, and how many of its runs one agent may have in flight. */
    @RegisterForReflection
    public record Limits(
            Integer maxTurns,
            Long maxTokens,
            Long maxSeconds,
            Integer maxChildren,
            Double maxCostUsd,
            Integer maxConcurrentRuns) {}

    /** Approve before write: {@code graphWrites} holds graph-writing tool calls for an operator. */
    @RegisterForReflection
    public record Approval(Boolean graphWrites) {}

    AgentTypeCommand toCommand() {
        Limits l = limits == null ? new Limits(null, null, null, null, null, null) : limits;
        return new AgentTypeCommand(
                type,
                level,
                description,
                instructions,
                allowedChildTypes,
                provider,
                model,
                promptTemplate,
                handoffTargets,
                l.maxTurns(),
                l.maxTokens(),
                l.maxSeconds(),
                l.maxChildren(),
                l.maxCostUsd(),
                l.maxConcurrentRuns(),
                approval == null ? null : approval.graphWrites(),
                guardrailMode);
    }
}
