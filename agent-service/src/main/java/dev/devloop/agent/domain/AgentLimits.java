package dev.devloop.agent.domain;

/** Budgets one run of an agent may spend before it trips. */
public record AgentLimits(int maxTurns, long maxTokens, long maxSeconds, int maxChildren) {
  public AgentLimits {
    if (maxTurns < 1 || maxTurns > 100) {
      throw new IllegalArgumentException("maxTurns must be between 1 and 100");
    }
    if (maxTokens < 1 || maxSeconds < 1 || maxChildren < 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }
}
