package dev.devloop.agent.domain;

/** Lifecycle states of an agent (docs/design.md §2). */
public enum AgentStatus {
    ACTIVE,
    BUSY,
    RETIRED,
    FAILED
}
