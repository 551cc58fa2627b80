package dev.devloop.tools.domain;

/** How an invocation ended, as audited: ran (succeeded or failed) or was refused before running. */
public enum InvocationOutcome {
    SUCCEEDED,
    FAILED,
    DENIED,
    INVALID_ARGUMENTS,
    UNKNOWN_TOOL,
    IN_PROGRESS
}
