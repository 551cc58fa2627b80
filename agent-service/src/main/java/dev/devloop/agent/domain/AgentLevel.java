package dev.devloop.agent.domain;

/** Where an agent sits in the hierarchy: parents spawn children, children spawn micro agents. */
public enum AgentLevel {
    PARENT,
    CHILD,
    MICRO
}
