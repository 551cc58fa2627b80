package dev.devloop.tools.ports.out;

/** Outgoing port counting the calls of one tool within one run, atomically. */
public interface RunBudgetPort {
    /** Adds one call and returns the count including it. */
    long increment(String tenant, String runId, String toolId);

    /** Gives back the call {@link #increment} counted for an invocation that met an outage and will be retried. */
    void refund(String tenant, String runId, String toolId);
}
