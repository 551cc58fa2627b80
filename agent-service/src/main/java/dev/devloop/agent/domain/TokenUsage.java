package dev.devloop.agent.domain;

/**
 * Tokens spent, accumulated over a run's model calls, and their cost in USD: the provider's own figure
 * when it reported one, else the configured price table's estimate. {@code costUsd} is null only for
 * usage recorded before costs were kept (the loop then estimates it from the tokens).
 */
public record TokenUsage(long inputTokens, long outputTokens, long totalTokens, Double costUsd) {
    public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, null);

    public TokenUsage(long inputTokens, long outputTokens, long totalTokens) {
        this(inputTokens, outputTokens, totalTokens, null);
    }

    public TokenUsage withCost(Double cost) {
        return new TokenUsage(inputTokens, outputTokens, totalTokens, cost);
    }

    public TokenUsage plus(TokenUsage other) {
        Double cost = costUsd == null ? other.costUsd : other.costUsd == null ? costUsd : costUsd + other.costUsd;
        return new TokenUsage(
                inputTokens + other.inputTokens,
                outputTokens + other.outputTokens,
                totalTokens + other.totalTokens,
                cost);
    }
}
