package dev.devloop.agent.adapters.out.http;

/**
 * The fault-tolerance settings every call to a sibling service (tool-service, provider-gateway) shares (#18). They are
 * annotation values, hence constants; the model call's outage wait (application layer, {@code
 * devloop.agent.sibling-wait.*}) uses the same window and backoff by default.
 */
final class SiblingCalls {
    /**
     * How long a circuit to a sibling stays open: a run waiting on it goes on within this plus one backoff step of
     * its return, not a long circuit delay later.
     */
    static final long CIRCUIT_DELAY_MS = 2_000;
    /**
     * Longest a repeatable call (a keyed tool invocation) waits out its callee's outage before it fails: a 30 s
     * outage (#18's goal) plus the callee's own restart (15–25 s measured on a loaded 2-core box), with margin.
     */
    static final long OUTAGE_WINDOW_MS = 90_000;
    /** First pause between two attempts of a call waiting out an outage; it doubles up to the maximum. */
    static final long OUTAGE_INITIAL_BACKOFF_MS = 250;
    /** Longest pause between two attempts: bounds how long after the callee's return the call goes through. */
    static final long OUTAGE_MAX_BACKOFF_MS = 1_000;
    /** Jitter of each pause, so calls waiting together do not all retry at once. */
    static final long OUTAGE_JITTER_MS = 150;

    private SiblingCalls() {}
}
