package dev.devloop.agent.application;

import dev.devloop.agent.domain.Step;
import dev.devloop.agent.domain.StepKind;
import dev.devloop.agent.domain.ToolCallRecord;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.ToolCall;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Rebuilds the model conversation from a run's persisted steps, so a run can resume where it stopped. */
final class Conversation {

    static List<ChatMessage> rebuild(String instructions, String input, List<Step> steps, int maxToolResultChars) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(ChatMessage.system(instructions));
        messages.add(ChatMessage.user(input));
        for (Step step : steps) {
            if (step.kind() == StepKind.MODEL_CALL) {
                if (!step.toolCalls().isEmpty()) {
                    messages.add(ChatMessage.assistant(
                            step.text(),
                            step.toolCalls().stream().map(Conversation::call).toList()));
                }
            } else if (step.kind() == StepKind.TOOL_CALL) {
                messages.add(ChatMessage.toolResult(
                        step.toolCallId(), step.tool(), AgentLoop.toolMessage(step, maxToolResultChars)));
            }
        }
        return messages;
    }

    /** Tool calls of the last model step that have no recorded result yet. */
    static List<ToolCall> unansweredToolCalls(List<Step> steps) {
        Set<String> answered = new HashSet<>();
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step step = steps.get(i);
            if (step.kind() == StepKind.TOOL_CALL) {
                answered.add(step.toolCallId());
            } else if (step.kind() == StepKind.MODEL_CALL) {
                return step.toolCalls().stream()
                        .filter(c -> !answered.contains(c.id()))
                        .map(Conversation::call)
                        .toList();
            }
        }
        return List.of();
    }

    /** The final answer when the last persisted step already is one (a crash hit between it and the finish). */
    static java.util.Optional<Step> finalAnswer(List<Step> steps) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step step = steps.get(i);
            if (step.kind() == StepKind.TOOL_CALL) {
                return java.util.Optional.empty();
            }
            if (step.kind() == StepKind.MODEL_CALL) {
                return step.toolCalls().isEmpty() ? java.util.Optional.of(step) : java.util.Optional.empty();
            }
        }
        return java.util.Optional.empty();
    }

    static int modelTurns(List<Step> steps) {
        return (int) steps.stream().filter(s -> s.kind() == StepKind.MODEL_CALL).count();
    }

    private static ToolCall call(ToolCallRecord record) {
        return new ToolCall(record.id(), record.name(), AgentLoop.parse(record.argumentsJson()));
    }

    private Conversation() {}
}
