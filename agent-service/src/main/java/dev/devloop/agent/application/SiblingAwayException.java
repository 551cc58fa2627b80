package dev.devloop.agent.application;

import dev.devloop.agent.ports.out.DownstreamException;

/**
 * A tool call's callee (tool-service, or the store behind it) stayed away for the call's whole wait window. The run is
 * not failed: it stays RUNNING with every step so far persisted, and its runner resumes it — repeating the call with
 * the same idempotency key — like a run whose store stayed away ({@link RunAgentService}).
 */
final class SiblingAwayException extends RuntimeException {
    SiblingAwayException(DownstreamException cause) {
        super(cause.getMessage(), cause, false, false);
    }
}
