package dev.devloop.tools.ports.in;

import com.fasterxml.jackson.databind.JsonNode;

/** The answer to one invocation: {@code status} SUCCEEDED or FAILED, with the tool's output or error. */
public record InvocationResult(
        String invocationId,
        String toolId,
        String status,
        JsonNode output,
        String error,
        long durationMs,
        boolean replayed) {

    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    public InvocationResult asReplay() {
        return new InvocationResult(invocationId, toolId, status, output, error, durationMs, true);
    }
}
