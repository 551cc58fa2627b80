package dev.devloop.agent.application;

/**
 * Bounds the agent loop applies to every run, whatever the agent definition says: input and tool
 * result sizes, the turn ceiling, how many tool calls of one model answer run at once, and the cost
 * budget of definitions that set none (0: no cost budget).
 */
public record LoopSettings(int maxInputChars, int hardMaxTurns, int maxToolResultChars, int maxParallelTools,
    double defaultMaxCostUsd) {

  public LoopSettings(int maxInputChars, int hardMaxTurns, int maxToolResultChars) {
    this(maxInputChars, hardMaxTurns, maxToolResultChars, 4, 0);
  }

  public LoopSettings {
    if (maxInputChars < 1 || hardMaxTurns < 1 || maxToolResultChars < 1 || maxParallelTools < 1
        || defaultMaxCostUsd < 0) {
      throw new IllegalArgumentException("loop settings must be positive");
    }
  }
}
