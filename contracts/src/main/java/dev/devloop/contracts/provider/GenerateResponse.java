package dev.devloop.contracts.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * A normalised model answer. {@code finishReason} is one of {@code stop}, {@code tool_calls},
 * {@code length}, {@code content_filter}, {@code other}. {@code reasoning} is the model's visible
 * reasoning where the provider returns it (Anthropic thinking blocks, OpenAI-compatible
 * {@code reasoning_content}, Gemini thought parts), else null.
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
    long latencyMs,
    String reasoning) {

  /** An answer without visible reasoning. */
  public GenerateResponse(String text, List<ToolCall> toolCalls, Usage usage, String model, String provider,
      String finishReason, boolean cached, long latencyMs) {
    this(text, toolCalls, usage, model, provider, finishReason, cached, latencyMs, null);
  }

  /** The same answer with the given reasoning text. */
  public GenerateResponse withReasoning(String reasoningText) {
    return new GenerateResponse(text, toolCalls, usage, model, provider, finishReason, cached, latencyMs,
        reasoningText);
  }

  public boolean wantsTools() {
    return toolCalls != null && !toolCalls.isEmpty();
  }
}
