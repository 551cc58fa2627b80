package dev.devloop.provider.domain;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Prices in USD per million tokens, keyed {@code provider/model} or {@code model}. A versioned
 * answer model ({@code gpt-4o-mini-2024-07-18}) takes the price of the longest configured key it
 * starts with ({@code gpt-4o-mini}).
 */
public final class PriceTable {
    /** A model's price in USD per million input and output tokens. */
    public record Price(double inputPerMtok, double outputPerMtok) {}

    public static final PriceTable EMPTY = new PriceTable(Map.of());

    private final Map<String, Price> prices;

    public PriceTable(Map<String, Price> prices) {
        this.prices = Map.copyOf(prices);
    }

    /** The price of a model, if configured. */
    public Optional<Price> price(String provider, String model) {
        if (model == null) {
            return Optional.empty();
        }
        for (String key : new String[] {provider + "/" + model, model}) {
            Price exact = prices.get(key);
            if (exact != null) {
                return Optional.of(exact);
            }
        }
        String qualified = provider + "/" + model;
        return prices.entrySet().stream()
                .filter(e -> qualified.startsWith(e.getKey()) || model.startsWith(e.getKey()))
                .max(Comparator.comparingInt(e -> e.getKey().length()))
                .map(Map.Entry::getValue);
    }

    /** The estimated cost of a call in USD, if the model has a price. */
    public Optional<Double> cost(String provider, String model, long inputTokens, long outputTokens) {
        return price(provider, model)
                .map(p -> (inputTokens * p.inputPerMtok() + outputTokens * p.outputPerMtok()) / 1_000_000d);
    }
}
