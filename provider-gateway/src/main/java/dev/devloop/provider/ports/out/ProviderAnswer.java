package dev.devloop.provider.ports.out;

import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.domain.FinishReason;
import java.util.List;

/**
 * What a chat provider answered, before the gateway adds provider name, cache flag and latency.
 * {@code reasoning} is the model's visible reasoning when the provider returned any, else null.
 */
public record ProviderAnswer(
        String text, List<ToolCall> toolCalls, Usage usage, String model, FinishReason finishReason, String reasoning) {

    public ProviderAnswer {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        usage = usage == null ? Usage.NONE : usage;
        reasoning = reasoning == null || reasoning.isBlank() ? null : reasoning;
    }

    /** An answer without visible reasoning. */
    public ProviderAnswer(String text, List<ToolCall> toolCalls, Usage usage, String model, FinishReason finishReason) {
        this(text, toolCalls, usage, model, finishReason, null);
    }
}
