package dev.devloop.agent.domain.safety;

/** What a tripped wire does to the run. */
public enum TripAction {
    STOP,
    LOG
}
