package dev.devloop.tools.domain;

/**
 * Bounds applied to every invocation of one tool: a deadline, an output ceiling and a per-run call
 * budget ({@code maxCallsPerRun} 0 means no per-run budget).
 */
public record ToolLimits(long timeoutMs, int maxOutputBytes, int maxCallsPerRun) {
    public ToolLimits {
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeoutMs must be positive");
        }
        if (maxOutputBytes <= 0) {
            throw new IllegalArgumentException("maxOutputBytes must be positive");
        }
        if (maxCallsPerRun < 0) {
            throw new IllegalArgumentException("maxCallsPerRun must not be negative");
        }
    }
}
