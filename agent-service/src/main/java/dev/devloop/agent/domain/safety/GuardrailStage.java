package dev.devloop.agent.domain.safety;

/** Where a guardrail looks: the task input, a model answer, or the arguments of a tool call. */
public enum GuardrailStage {
    PROMPT,
    RESPONSE,
    TOOL_CALL
}
