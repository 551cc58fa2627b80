package dev.devloop.contracts.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Token usage of one model call, and its cost in US dollars as the provider-gateway's price table
 * estimates it ({@code null} when the model has no price, so "unknown" is never mistaken for "free").
 */
@RegisterForReflection
public record Usage(
        long inputTokens,
        long outputTokens,
        long totalTokens,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double costUsd) {
    public static final Usage NONE = new Usage(0, 0, 0, null);

    public Usage(long inputTokens, long outputTokens, long totalTokens) {
        this(inputTokens, outputTokens, totalTokens, null);
    }

    public Usage withCost(Double cost) {
        return new Usage(inputTokens, outputTokens, totalTokens, cost);
    }

    public Usage plus(Usage other) {
        if (other == null) {
            return this;
        }
        Double cost = costUsd == null ? other.costUsd : other.costUsd == null ? costUsd : costUsd + other.costUsd;
        return new Usage(
                inputTokens + other.inputTokens,
                outputTokens + other.outputTokens,
                totalTokens + other.totalTokens,
                cost);
    }
}
