package dev.devloop.agent.domain;

import java.util.List;
import java.util.regex.Pattern;

/** An agent type as data: what it is told, where it sits, which children it may spawn, its budgets. */
public record AgentDefinition(
    String type,
    AgentLevel level,
    String description,
    String instructions,
    List<String> allowedChildTypes,
    String provider,
    String model,
    AgentLimits limits) {

  public static final Pattern TYPE_PATTERN = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  public AgentDefinition {
    if (type == null || !TYPE_PATTERN.matcher(type).matches()) {
      throw new IllegalArgumentException("type must match " + TYPE_PATTERN.pattern());
    }
    if (level == null || instructions == null || instructions.isBlank() || limits == null) {
      throw new IllegalArgumentException("level, instructions and limits are required for " + type);
    }
    allowedChildTypes = allowedChildTypes == null ? List.of() : List.copyOf(allowedChildTypes);
  }
}
