package dev.devloop.provider.ports.out;

import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateOptions;
import dev.devloop.contracts.provider.ToolSpec;
import java.util.List;

/**
 * A validated generate request, what a {@link ChatProviderPort} is asked: provider resolved, messages, tools and
 * options checked against the configured bounds (built by the application's {@code GenerateRequestValidation}).
 */
public record GenerateCommand(
        String tenant,
        String provider,
        String model,
        List<ChatMessage> messages,
        List<ToolSpec> tools,
        GenerateOptions options,
        String agentId) {

    public GenerateCommand {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    /** The same command sent to another provider and model (a fallback route). */
    public GenerateCommand withRoute(String provider, String model) {
        return new GenerateCommand(tenant, provider, model, messages, tools, options, agentId);
    }

    /** The same command with other messages (redacted, or rendered for a provider). */
    public GenerateCommand withMessages(List<ChatMessage> messages) {
        return new GenerateCommand(tenant, provider, model, messages, tools, options, agentId);
    }

    /** True when the request carries tools the model may call. */
    public boolean hasTools() {
        return !tools.isEmpty();
    }
}
