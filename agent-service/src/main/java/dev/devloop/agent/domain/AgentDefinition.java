package dev.devloop.agent.domain;

import java.util.List;
import java.util.regex.Pattern;

/**
 * An agent type as data: what it is told (instructions rendered through a named prompt template),
 * where it sits, which children it may spawn, which types it may hand work off to, its budgets.
 */
public record AgentDefinition(
        String type,
        AgentLevel level,
        String description,
        String instructions,
        List<String> allowedChildTypes,
        String provider,
        String model,
        AgentLimits limits,
        String promptTemplate,
        List<String> handoffTargets,
        boolean approveGraphWrites,
        dev.devloop.agent.domain.safety.Enforcement guardrailMode,
        int version,
        String changedBy,
        java.time.Instant changedAt) {

    public static final Pattern TYPE_PATTERN = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    public static final String DEFAULT_TEMPLATE = "basic";

    /**
     * A definition with the {@value #DEFAULT_TEMPLATE} template, no handoff targets, no approval gate, the service's
     * global guardrail mode, unversioned (shipped types are version 0): change it with the {@code with…} copies.
     */
    public static AgentDefinition of(
            String type,
            AgentLevel level,
            String description,
            String instructions,
            List<String> allowedChildTypes,
            String provider,
            String model,
            AgentLimits limits) {
        return new AgentDefinition(
                type,
                level,
                description,
                instructions,
                allowedChildTypes,
                provider,
                model,
                limits,
                DEFAULT_TEMPLATE,
                List.of(),
                false,
                null,
                0,
                null,
                null);
    }

    public AgentDefinition {
        if (type == null || !TYPE_PATTERN.matcher(type).matches()) {
            throw new IllegalArgumentException("type must match " + TYPE_PATTERN.pattern());
        }
        if (level == null || instructions == null || instructions.isBlank() || limits == null) {
            throw new IllegalArgumentException("level, instructions and limits are required for " + type);
        }
        allowedChildTypes = allowedChildTypes == null ? List.of() : List.copyOf(allowedChildTypes);
        handoffTargets = handoffTargets == null ? List.of() : List.copyOf(handoffTargets);
        promptTemplate = promptTemplate == null || promptTemplate.isBlank() ? DEFAULT_TEMPLATE : promptTemplate;
    }

    /** The same definition as stored version {@code next}, changed by {@code by} at {@code at}. */
    public AgentDefinition withVersion(int next, String by, java.time.Instant at) {
        return copy(promptTemplate, handoffTargets, next, by, at);
    }

    /** The same definition rendered through the prompt template {@code name}. */
    public AgentDefinition withPromptTemplate(String name) {
        return copy(name, handoffTargets, version, changedBy, changedAt);
    }

    /** The same definition that may hand work off to {@code targets}. */
    public AgentDefinition withHandoffTargets(List<String> targets) {
        return copy(promptTemplate, targets, version, changedBy, changedAt);
    }

    private AgentDefinition copy(
            String template, List<String> targets, int nextVersion, String by, java.time.Instant at) {
        return new AgentDefinition(
                type,
                level,
                description,
                instructions,
                allowedChildTypes,
                provider,
                model,
                limits,
                template,
                targets,
                approveGraphWrites,
                guardrailMode,
                nextVersion,
                by,
                at);
    }

    /** Whether agents of this type may spawn children at all (and so use the orchestration tools). */
    public boolean canSpawn() {
        return !allowedChildTypes.isEmpty() && limits.maxChildren() > 0;
    }
}
