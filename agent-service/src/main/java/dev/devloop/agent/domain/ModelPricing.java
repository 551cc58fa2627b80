package dev.devloop.agent.domain;

import java.util.Map;

/**
 * Estimated prices in USD per million tokens, by model with a default, used when the provider does
 * not report a cost: a model call costs {@code input × in + output × out / 10⁶}.
 */
public record ModelPricing(Price fallback, Map<String, Price> byModel) {

    /** USD per million input and output tokens. */
    public record Price(double inputPerMillion, double outputPerMillion) {
        public Price {
            if (inputPerMillion < 0 || outputPerMillion < 0) {
                throw new IllegalArgumentException("prices must not be negative");
            }
        }
    }

    public ModelPricing {
        byModel = Map.copyOf(byModel);
    }

    public double cost(String model, TokenUsage usage) {
        Price price = model == null ? fallback : byModel.getOrDefault(model, fallback);
        return (usage.inputTokens() * price.inputPerMillion() + usage.outputTokens() * price.outputPerMillion())
                / 1_000_000d;
    }
}
