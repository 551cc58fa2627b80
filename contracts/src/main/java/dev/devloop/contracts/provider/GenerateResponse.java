package dev.devloop.contracts.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * A normalised model answer. {@code finishReason} is one of {@code stop}, {@code tool_calls},
 * {@code length}, {@code content_filter}, {@code other}. {@code reasoning} is the model's visible
 * reasoning where the provider returns it (Anthropic thinking blocks, OpenAI-compatible
 * {@code reasoning_content}, Gemini thought parts), else null. {@code injection} (optional, null when the
 * request was not screened) is how provider-gateway screened the request for prompt injection.
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
        String reasoning,
        InjectionScreening injection) {

    /** An answer with visible reasoning and no injection screening (the shape before screening existed). */
    public GenerateResponse(
            String text,
            List<ToolCall> toolCalls,
            Usage usage,
            String model,
            String provider,
            String finishReason,
            boolean cached,
            long latencyMs,
            String reasoning) {
        this(text, toolCalls, usage, model, provider, finishReason, cached, latencyMs, reasoning, null);
    }

    /** An answer without visible reasoning. */
    public GenerateResponse(
            String text,
            List<ToolCall> toolCalls,
            Usage usage,
            String model,
            String provider,
            String finishReason,
            boolean cached,
            long latencyMs) {
        this(text, toolCalls, usage, model, provider, finishReason, cached, latencyMs, null, null);
    }

    /** The same answer with the given reasoning text. */
    public GenerateResponse withReasoning(String reasoningText) {
        return new GenerateResponse(
                text, toolCalls, usage, model, provider, finishReason, cached, latencyMs, reasoningText, injection);
    }

    /** The same answer with how its request was screened for prompt injection (null: not screened). */
    public GenerateResponse withInjection(InjectionScreening screening) {
        return new GenerateResponse(
                text, toolCalls, usage, model, provider, finishReason, cached, latencyMs, reasoning, screening);
    }

    public boolean wantsTools() {
        return toolCalls != null && !toolCalls.isEmpty();
    }
}
