package dev.devloop.agent.domain;

/** States of a run; the last five are terminal. */
public enum RunStatus {
    QUEUED,
    RUNNING,
    /** Parked until an operator decides the proposals of its last step; no worker holds it. */
    AWAITING_APPROVAL,
    COMPLETED,
    FAILED,
    GUARDRAIL_BLOCKED,
    TRIPPED,
    CANCELLED;

    public boolean isTerminal() {
        return this != QUEUED && this != RUNNING && this != AWAITING_APPROVAL;
    }
}
