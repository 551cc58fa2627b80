package dev.devloop.agent.application;

/** Bounds the agent loop applies to every run, whatever the agent definition says. */
public record LoopSettings(int maxInputChars, int hardMaxTurns, int maxToolResultChars) {
  public LoopSettings {
    if (maxInputChars < 1 || hardMaxTurns < 1 || maxToolResultChars < 1) {
      throw new IllegalArgumentException("loop settings must be positive");
    }
  }
}
