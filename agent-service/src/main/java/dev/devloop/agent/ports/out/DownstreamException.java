package dev.devloop.agent.ports.out;

import java.time.Duration;
import java.util.Optional;

/** A sibling service answered with an error (or not at all); {@code status} 0 means unreachable. */
public class DownstreamException extends RuntimeException {
    private final String service;
    private final int status;
    private final boolean away;
    private final Duration retryAfter;

    public DownstreamException(String service, int status, String detail, Throwable cause) {
        this(service, status, detail, cause, false, null);
    }

    /**
     * @param away the callee is away for now (unreachable, answered that it is unavailable, or the circuit to it is
     *     open), so the same call may succeed once it returns; false for a real answer such as a refusal
     * @param retryAfter how long the callee asked to be left alone (its {@code Retry-After}), or null
     */
    public DownstreamException(
            String service, int status, String detail, Throwable cause, boolean away, Duration retryAfter) {
        super(service + ": " + detail, cause);
        this.service = service;
        this.status = status;
        this.away = away;
        this.retryAfter = retryAfter;
    }

    public String service() {
        return service;
    }

    public int status() {
        return status;
    }

    public boolean isClientError() {
        return status >= 400 && status < 500;
    }

    /** Whether the callee is away for now rather than refusing: worth waiting for when the call may be repeated. */
    public boolean away() {
        return away;
    }

    /** The pause the callee asked for before the next attempt, when it gave one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
