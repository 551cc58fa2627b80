package dev.devloop.tools.domain;

/**
 * How an invocation ended, as audited: ran (succeeded or failed), was refused before running, or met a dependency
 * outage ({@code UNAVAILABLE}: nothing recorded for its key, the caller retries).
 */
public enum InvocationOutcome {
    SUCCEEDED,
    FAILED,
    DENIED,
    INVALID_ARGUMENTS,
    UNKNOWN_TOOL,
    IN_PROGRESS,
    UNAVAILABLE
}
