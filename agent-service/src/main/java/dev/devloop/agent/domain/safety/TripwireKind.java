package dev.devloop.agent.domain.safety;

/** Runtime budgets and alarms watched while a run executes. */
public enum TripwireKind {
    EXECUTION_TIME,
    TOKENS,
    TURNS,
    DANGEROUS_OUTPUT,
    ANOMALY,
    COST,
    CHILD_COUNT
}
