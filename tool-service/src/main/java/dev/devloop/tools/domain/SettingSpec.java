package dev.devloop.tools.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * One runtime setting update_config may change: its type and range, and whether it is platform-wide
 * (only operator tenants) or applied per tenant by its owner.
 */
public record SettingSpec(String key, Type type, Long min, Long max, List<String> values, int maxLength,
    boolean platform) {
  /** The value types a setting may have. */
  public enum Type {
    INTEGER, BOOLEAN, STRING, ENUM
  }

  public SettingSpec {
    values = values == null ? List.of() : List.copyOf(values);
  }

  /** Why {@code value} is not acceptable for this setting; empty when it is. */
  public Optional<String> problem(JsonNode value) {
    if (value == null || value.isNull()) {
      return Optional.of("a value is required");
    }
    return switch (type) {
      case INTEGER -> {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
          yield Optional.of(key + " takes an integer");
        }
        long n = value.asLong();
        if ((min != null && n < min) || (max != null && n > max)) {
          yield Optional.of(key + " must be between " + (min == null ? "-∞" : min) + " and " + (max == null ? "∞" : max));
        }
        yield Optional.empty();
      }
      case BOOLEAN -> value.isBoolean() ? Optional.empty() : Optional.of(key + " takes true or false");
      case STRING -> !value.isTextual() ? Optional.of(key + " takes a string")
          : value.asText().length() > maxLength ? Optional.of(key + " must be at most " + maxLength + " characters")
          : value.asText().chars().anyMatch(Character::isISOControl)
              ? Optional.of(key + " must not contain control characters") : Optional.empty();
      case ENUM -> value.isTextual() && values.contains(value.asText()) ? Optional.empty()
          : Optional.of(key + " must be one of " + values);
    };
  }
}
