package dev.devloop.knowledge.domain;

import java.util.Locale;
import java.util.Optional;

/** How chunks are retrieved: by embedding similarity, by full-text relevance, or both fused. */
public enum SearchMode {
    VECTOR,
    KEYWORD,
    HYBRID;

    /** The mode named {@code name} (case-insensitive), if any. */
    public static Optional<SearchMode> parse(String name) {
        for (SearchMode mode : values()) {
            if (mode.name().equals(name.toUpperCase(Locale.ROOT))) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
