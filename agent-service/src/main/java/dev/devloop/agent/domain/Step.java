package dev.devloop.agent.domain;

import java.time.Instant;
import java.util.List;

/**
 * One persisted step of a run. Model-call fields are set for {@link StepKind#MODEL_CALL}, tool-call
 * fields for {@link StepKind#TOOL_CALL}; JSON payloads are kept as text so the domain stays plain.
 */
public record Step(
        int index,
        StepKind kind,
        Instant startedAt,
        long durationMs,
        // model call
        String text,
        List<ToolCallRecord> toolCalls,
        TokenUsage usage,
        String finishReason,
        String provider,
        String model,
        // tool call
        String toolCallId,
        String tool,
        String argumentsJson,
        String status,
        String outputJson,
        String error,
        boolean replayed,
        // guardrail / tripwire
        String policy,
        String stage,
        // model call: the model's visible reasoning; approval: the proposal waiting for a decision
        String reasoning,
        String proposalId,
        // model call: provider-gateway's prompt-injection screening (null when it did not screen)
        InjectionFlag injection) {

    /** A step without reasoning or proposal. */
    public Step(
            int index,
            StepKind kind,
            Instant startedAt,
            long durationMs,
            String text,
            List<ToolCallRecord> toolCalls,
            TokenUsage usage,
            String finishReason,
            String provider,
            String model,
            String toolCallId,
            String tool,
            String argumentsJson,
            String status,
            String outputJson,
            String error,
            boolean replayed,
            String policy,
            String stage) {
        this(
                index,
                kind,
                startedAt,
                durationMs,
                text,
                toolCalls,
                usage,
                finishReason,
                provider,
                model,
                toolCallId,
                tool,
                argumentsJson,
                status,
                outputJson,
                error,
                replayed,
                policy,
                stage,
                null,
                null,
                null);
    }

    /** The same step at another position (parallel tool calls are numbered when they are recorded). */
    public Step withIndex(int at) {
        return new Step(
                at,
                kind,
                startedAt,
                durationMs,
                text,
                toolCalls,
                usage,
                finishReason,
                provider,
                model,
                toolCallId,
                tool,
                argumentsJson,
                status,
                outputJson,
                error,
                replayed,
                policy,
                stage,
                reasoning,
                proposalId,
                injection);
    }

    public static Step modelCall(
            int index,
            Instant startedAt,
            long durationMs,
            String text,
            List<ToolCallRecord> toolCalls,
            TokenUsage usage,
            String finishReason,
            String provider,
            String model) {
        return modelCall(index, startedAt, durationMs, text, toolCalls, usage, finishReason, provider, model, null);
    }

    /** A model call with the model's visible reasoning ({@code null} when there was none). */
    public static Step modelCall(
            int index,
            Instant startedAt,
            long durationMs,
            String text,
            List<ToolCallRecord> toolCalls,
            TokenUsage usage,
            String finishReason,
            String provider,
            String model,
            String reasoning) {
        return modelCall(
                index, startedAt, durationMs, text, toolCalls, usage, finishReason, provider, model, reasoning, null);
    }

    /** A model call with its reasoning and provider-gateway's prompt-injection screening ({@code null}: none). */
    public static Step modelCall(
            int index,
            Instant startedAt,
            long durationMs,
            String text,
            List<ToolCallRecord> toolCalls,
            TokenUsage usage,
            String finishReason,
            String provider,
            String model,
            String reasoning,
            InjectionFlag injection) {
        return new Step(
                index,
                StepKind.MODEL_CALL,
                startedAt,
                durationMs,
                text,
                toolCalls == null ? List.of() : List.copyOf(toolCalls),
                usage,
                finishReason,
                provider,
                model,
                null,
                null,
                null,
                null,
                null,
                null,
                false,
                null,
                null,
                reasoning,
                null,
                injection);
    }

    /**
     * A tool call held for an operator's decision: {@code status} is {@code PENDING}, the call's id, tool
     * and arguments are those of the proposal {@code proposalId}.
     */
    public static Step approval(int index, Instant at, ToolCallRecord call, String proposalId) {
        return new Step(
                index,
                StepKind.APPROVAL,
                at,
                0,
                null,
                List.of(),
                null,
                null,
                null,
                null,
                call.id(),
                call.name(),
                call.argumentsJson(),
                "PENDING",
                null,
                null,
                false,
                null,
                null,
                null,
                proposalId,
                null);
    }

    public static Step toolCall(
            int index,
            Instant startedAt,
            long durationMs,
            ToolCallRecord call,
            String status,
            String outputJson,
            String error,
            boolean replayed) {
        return new Step(
                index,
                StepKind.TOOL_CALL,
                startedAt,
                durationMs,
                null,
                List.of(),
                null,
                null,
                null,
                null,
                call.id(),
                call.name(),
                call.argumentsJson(),
                status,
                outputJson,
                error,
                replayed,
                null,
                null);
    }

    /** A violated guardrail: {@code status} is its enforcement mode, {@code error} the reason. */
    public static Step guardrail(int index, Instant at, dev.devloop.agent.domain.safety.GuardrailDecision d) {
        return new Step(
                index,
                StepKind.GUARDRAIL,
                at,
                0,
                null,
                List.of(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                d.mode().name(),
                null,
                d.reason(),
                false,
                d.policy(),
                d.stage().name());
    }

    /** A tripped wire: {@code policy} is its kind, {@code status} its action, {@code error} the reason. */
    public static Step tripwire(int index, Instant at, dev.devloop.agent.domain.safety.Trip trip) {
        return new Step(
                index,
                StepKind.TRIPWIRE,
                at,
                0,
                null,
                List.of(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                trip.action().name(),
                null,
                trip.reason(),
                false,
                trip.kind().name(),
                null);
    }
}
