package dev.devloop.tools.application;

import dev.devloop.tools.ports.in.ToolRefusal;

/**
 * An invocation met a dependency outage (REST: 503 with {@code Retry-After}): nothing was recorded for its
 * idempotency key and its claim was released (or lapses within its lease), so the same request retried once the
 * dependency is back runs at once.
 */
public final class DependencyUnavailable extends ToolRefusal {
    private final String dependency;
    private final long retryAfterSeconds;

    public DependencyUnavailable(String dependency, long retryAfterSeconds) {
        super(
                Reason.UNAVAILABLE,
                "dependency-unavailable",
                "Dependency unavailable",
                dependency + " is unavailable right now; nothing was recorded for this call: retry it with the same "
                        + "idempotency key in " + retryAfterSeconds + " s",
                null,
                null);
        this.dependency = dependency;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The dependency that was away ({@code knowledge-service}, {@code MongoDB}). */
    public String dependency() {
        return dependency;
    }

    /** Whole seconds a caller should wait before retrying. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
