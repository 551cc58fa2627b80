package dev.devloop.contracts.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * A normalised model answer. {@code finishReason} is one of {@code stop}, {@code tool_calls},
 * {@code length}, {@code content_filter}, {@code other}.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GenerateResponse(
    String text,
    List<ToolCall> toolCalls,
    Usage usage,
    String model,
    String provider,
    String finishReason,
    boolean cached,
    long latencyMs) {

  public boolean wantsTools() {
    return toolCalls != null && !toolCalls.isEmpty();
  }
}
