package dev.devloop.agent.domain;

/** Tokens spent, accumulated over a run's model calls. */
public record TokenUsage(long inputTokens, long outputTokens, long totalTokens) {
  public static final TokenUsage ZERO = new TokenUsage(0, 0, 0);

  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        inputTokens + other.inputTokens, outputTokens + other.outputTokens, totalTokens + other.totalTokens);
  }
}
