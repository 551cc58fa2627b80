package dev.devloop.provider.domain;

import java.util.List;

/**
 * A prompt-injection score 0..1 and the signals behind it (rule names, {@code name@form} when found only after
 * decoding, e.g. {@code override-instructions@base64}).
 */
public record InjectionScore(double score, List<String> signals) {
    public static final InjectionScore ZERO = new InjectionScore(0, List.of());

    public InjectionScore {
        if (score < 0 || score > 1 || Double.isNaN(score)) {
            throw new IllegalArgumentException("an injection score is within 0..1, got " + score);
        }
        signals = List.copyOf(signals);
    }
}
