package dev.devloop.agent.application;

/**
 * Bounds on agent types registered by API: how many a tenant may have, text sizes, list sizes, and
 * the ceilings of their limits (turns, tokens, seconds, children, cost).
 */
public record AgentTypeRules(
        int maxTypesPerTenant,
        int maxInstructionsChars,
        int maxDescriptionChars,
        int maxListSize,
        int maxTurns,
        long maxTokens,
        long maxSeconds,
        int maxChildren,
        double maxCostUsd) {

    /** Defaults matching the service configuration's. */
    public static final AgentTypeRules DEFAULTS =
            new AgentTypeRules(100, 8_000, 1_000, 20, 25, 1_000_000, 3_600, 20, 100);

    public AgentTypeRules {
        if (maxTypesPerTenant < 1
                || maxInstructionsChars < 1
                || maxDescriptionChars < 1
                || maxListSize < 1
                || maxTurns < 1
                || maxTurns > 100
                || maxTokens < 1
                || maxSeconds < 1
                || maxChildren < 0
                || maxCostUsd < 0) {
            throw new IllegalArgumentException("agent type rules must be positive (maxTurns at most 100)");
        }
    }
}
