package dev.devloop.agent.application;

/**
 * Bounds the agent loop applies to every run, whatever the agent definition says: input and tool
 * result sizes, the turn ceiling, how many tool calls of one model answer run at once, and the cost
 * budget of definitions that set none (0: no cost budget), and the per-run call limits of tools whose
 * registration in tool-service states none (the local orchestration tools above all).
 */
public record LoopSettings(
        int maxInputChars,
        int hardMaxTurns,
        int maxToolResultChars,
        int maxParallelTools,
        double defaultMaxCostUsd,
        java.util.Map<String, Integer> defaultMaxCallsPerRun) {

    public LoopSettings(int maxInputChars, int hardMaxTurns, int maxToolResultChars) {
        this(maxInputChars, hardMaxTurns, maxToolResultChars, 4, 0);
    }

    public LoopSettings(
            int maxInputChars,
            int hardMaxTurns,
            int maxToolResultChars,
            int maxParallelTools,
            double defaultMaxCostUsd) {
        this(maxInputChars, hardMaxTurns, maxToolResultChars, maxParallelTools, defaultMaxCostUsd, java.util.Map.of());
    }

    public LoopSettings {
        if (maxInputChars < 1
                || hardMaxTurns < 1
                || maxToolResultChars < 1
                || maxParallelTools < 1
                || defaultMaxCostUsd < 0) {
            throw new IllegalArgumentException("loop settings must be positive");
        }
        defaultMaxCallsPerRun = java.util.Map.copyOf(defaultMaxCallsPerRun);
        if (defaultMaxCallsPerRun.values().stream().anyMatch(n -> n == null || n < 1)) {
            throw new IllegalArgumentException("per-run call limits must be positive");
        }
    }
}
