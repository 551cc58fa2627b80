package dev.devloop.provider.adapters.out.langchain;

import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.ToolSpec;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Maps Devloop's normalised messages and tool specs to LangChain4j's types. */
public final class MessageMapper {

    private MessageMapper() {}

    public static List<dev.langchain4j.data.message.ChatMessage> messages(List<ChatMessage> messages) {
        List<dev.langchain4j.data.message.ChatMessage> out = new ArrayList<>(messages.size());
        Map<String, String> toolNamesByCallId = new HashMap<>();
        for (ChatMessage m : messages) {
            switch (m.role()) {
                case "system" -> out.add(SystemMessage.from(m.content()));
                case "user" ->
                    out.add(m.name() == null ? UserMessage.from(m.content()) : UserMessage.from(m.name(), m.content()));
                case "assistant" -> {
                    List<ToolExecutionRequest> requests = new ArrayList<>();
                    if (m.toolCalls() != null) {
                        for (ToolCall call : m.toolCalls()) {
                            toolNamesByCallId.put(call.id(), call.name());
                            requests.add(ToolExecutionRequest.builder()
                                    .id(call.id())
                                    .name(call.name())
                                    .arguments(call.arguments().toString())
                                    .build());
                        }
                    }
                    String text = m.content() == null || m.content().isEmpty() ? null : m.content();
                    out.add(AiMessage.builder()
                            .text(text)
                            .toolExecutionRequests(requests)
                            .build());
                }
                default -> {
                    String name = m.name() != null ? m.name() : toolNamesByCallId.get(m.toolCallId());
                    out.add(ToolExecutionResultMessage.from(m.toolCallId(), name, m.content()));
                }
            }
        }
        return out;
    }

    public static List<ToolSpecification> tools(List<ToolSpec> tools) {
        List<ToolSpecification> out = new ArrayList<>(tools.size());
        for (ToolSpec tool : tools) {
            ToolSpecification.Builder b =
                    ToolSpecification.builder().name(tool.name()).description(tool.description());
            if (tool.parameters() != null && !tool.parameters().isNull()) {
                b.parameters(SchemaConverter.parameters(tool.parameters()));
            }
            out.add(b.build());
        }
        return out;
    }
}
