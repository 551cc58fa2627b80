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
        return modelCall(
                index, startedAt, durationMs, text, toolCalls, usage, finishReason, provider, model, null, null);
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
        return call(index, StepKind.APPROVAL, at, 0, call, "PENDING", null, null, false, proposalId);
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
        return call(index, StepKind.TOOL_CALL, startedAt, durationMs, call, status, outputJson, error, replayed, null);
    }

    /** A violated guardrail: {@code status} is its enforcement mode, {@code error} the reason. */
    public static Step guardrail(int index, Instant at, dev.devloop.agent.domain.safety.GuardrailDecision d) {
        return safety(
                index,
                StepKind.GUARDRAIL,
                at,
                0,
                d.mode().name(),
                d.reason(),
                d.policy(),
                d.stage().name());
    }

    /** A tripped wire: {@code policy} is its kind, {@code status} its action, {@code error} the reason. */
    public static Step tripwire(int index, Instant at, dev.devloop.agent.domain.safety.Trip trip) {
        return safety(
                index,
                StepKind.TRIPWIRE,
                at,
                0,
                trip.action().name(),
                trip.reason(),
                trip.kind().name(),
                null);
    }

    /** A guardrail or tripwire step as recorded: its {@code status}, {@code error}, {@code policy} and {@code stage}. */
    public static Step safety(
            int index,
            StepKind kind,
            Instant at,
            long durationMs,
            String status,
            String error,
            String policy,
            String stage) {
        return new Step(
                index,
                kind,
                at,
                durationMs,
                null,
                List.of(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                status,
                null,
                error,
                false,
                policy,
                stage,
                null,
                null,
                null);
    }

    private static Step call(
            int index,
            StepKind kind,
            Instant at,
            long durationMs,
            ToolCallRecord call,
            String status,
            String outputJson,
            String error,
            boolean replayed,
            String proposalId) {
        return new Step(
                index,
                kind,
                at,
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
                null,
                null,
                proposalId,
                null);
    }
}
