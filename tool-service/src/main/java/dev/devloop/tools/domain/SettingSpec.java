package dev.devloop.tools.domain;

import java.util.List;
import java.util.Optional;

/**
 * One runtime setting update_config may change: its type and range, and whether it is platform-wide
 * (only operator tenants) or applied per tenant by its owner.
 */
public record SettingSpec(
        String key, Type type, Long min, Long max, List<String> values, int maxLength, boolean platform) {
    /** The value types a setting may have. */
    public enum Type {
        INTEGER,
        BOOLEAN,
        STRING,
        ENUM
    }

    public SettingSpec {
        values = values == null ? List.of() : List.copyOf(values);
    }

    /**
     * Why {@code value} is not acceptable for this setting; empty when it is. The value is plain Java, as the
     * application reads it from JSON: {@code null}, a {@link Long} (an integer that fits), a {@link Boolean}, a
     * {@link String}, or anything else for numbers that are not such integers, objects and arrays.
     */
    public Optional<String> problem(Object value) {
        if (value == null) {
            return Optional.of("a value is required");
        }
        return switch (type) {
            case INTEGER -> {
                if (!(value instanceof Long n)) {
                    yield Optional.of(key + " takes an integer");
                }
                if ((min != null && n < min) || (max != null && n > max)) {
                    yield Optional.of(key + " must be between " + (min == null ? "-∞" : min) + " and "
                            + (max == null ? "∞" : max));
                }
                yield Optional.empty();
            }
            case BOOLEAN -> value instanceof Boolean ? Optional.empty() : Optional.of(key + " takes true or false");
            case STRING ->
                !(value instanceof String text)
                        ? Optional.of(key + " takes a string")
                        : text.length() > maxLength
                                ? Optional.of(key + " must be at most " + maxLength + " characters")
                                : text.chars().anyMatch(Character::isISOControl)
                                        ? Optional.of(key + " must not contain control characters")
                                        : Optional.empty();
            case ENUM ->
                value instanceof String text && values.contains(text)
                        ? Optional.empty()
                        : Optional.of(key + " must be one of " + values);
        };
    }
}
