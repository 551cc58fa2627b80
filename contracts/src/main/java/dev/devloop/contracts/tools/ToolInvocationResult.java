package dev.devloop.contracts.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Outcome of one tool invocation. {@code status} is {@code SUCCEEDED} or {@code FAILED} (the tool ran
 * and reported an error the model may read); denials and invalid arguments are HTTP errors instead.
 * {@code replayed} is true when the answer comes from an earlier call with the same idempotency key.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolInvocationResult(
        String invocationId,
        String toolId,
        String status,
        JsonNode output,
        String error,
        long durationMs,
        boolean replayed) {

    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
}
