package dev.devloop.contracts.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * One message of a conversation, normalised across providers (docs/design.md §2). {@code role} is
 * {@code system}, {@code user}, {@code assistant} or {@code tool}; an assistant message may carry
 * tool calls, a tool message answers the call named by {@code toolCallId}.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ChatMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId, String name) {

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content, null, null, null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content, null, null, null);
    }

    public static ChatMessage assistant(String content, List<ToolCall> toolCalls) {
        return new ChatMessage("assistant", content, toolCalls, null, null);
    }

    public static ChatMessage toolResult(String toolCallId, String toolName, String content) {
        return new ChatMessage("tool", content, null, toolCallId, toolName);
    }
}
