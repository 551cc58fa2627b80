package dev.devloop.contracts.provider;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Token usage of one model call. */
@RegisterForReflection
public record Usage(long inputTokens, long outputTokens, long totalTokens) {
  public static final Usage NONE = new Usage(0, 0, 0);

  public Usage plus(Usage other) {
    return other == null ? this
        : new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens, totalTokens + other.totalTokens);
  }
}
