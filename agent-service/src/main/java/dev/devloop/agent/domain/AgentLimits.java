package dev.devloop.agent.domain;

/**
 * Budgets one run of an agent may spend before it trips. {@code maxCostUsd} 0 means the service-wide
 * default applies; {@code maxConcurrentRuns} 0 means unlimited.
 */
public record AgentLimits(
        int maxTurns, long maxTokens, long maxSeconds, int maxChildren, double maxCostUsd, int maxConcurrentRuns) {
    /** {@code maxConcurrentRuns} 0: no limit of runs in flight per agent. */
    public AgentLimits(int maxTurns, long maxTokens, long maxSeconds, int maxChildren, double maxCostUsd) {
        this(maxTurns, maxTokens, maxSeconds, maxChildren, maxCostUsd, 0);
    }

    public AgentLimits(int maxTurns, long maxTokens, long maxSeconds, int maxChildren) {
        this(maxTurns, maxTokens, maxSeconds, maxChildren, 0);
    }

    public AgentLimits {
        if (maxTurns < 1 || maxTurns > 100) {
            throw new IllegalArgumentException("maxTurns must be between 1 and 100");
        }
        if (maxTokens < 1 || maxSeconds < 1 || maxChildren < 0 || maxCostUsd < 0 || maxConcurrentRuns < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
