package dev.devloop.agent.domain;

/** What a step of a run recorded. */
public enum StepKind {
    MODEL_CALL,
    TOOL_CALL,
    GUARDRAIL,
    TRIPWIRE,
    /** A tool call waiting for an operator's approval (approve before write). */
    APPROVAL
}
