package dev.devloop.knowledge.domain;

import java.util.Locale;
import java.util.Optional;

/** How hybrid search combines its two ranked lists. */
public enum Fusion {
    /** Weighted sum of min-max normalised scores. */
    WEIGHTED,
    /** Reciprocal-rank fusion: the sum of {@code 1 / (k + rank)}. */
    RRF;

    /** The fusion named {@code name} (case-insensitive), if any. */
    public static Optional<Fusion> parse(String name) {
        for (Fusion fusion : values()) {
            if (fusion.name().equals(name.toUpperCase(Locale.ROOT))) {
                return Optional.of(fusion);
            }
        }
        return Optional.empty();
    }
}
