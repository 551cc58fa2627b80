package dev.devloop.knowledge.domain;

/** An agent lifecycle transition mirrored from {@code devloop.agent.lifecycle} into the graph. */
public sealed interface AgentLifecycleEvent {
    String tenant();

    String agentId();

    /** An agent was created, under {@code parentId} when it has one. */
    record Spawned(
            String tenant,
            String agentId,
            String agentType,
            String level,
            String parentId,
            String status,
            String createdAt)
            implements AgentLifecycleEvent {}

    /** An agent changed status. */
    record StatusChanged(String tenant, String agentId, String status) implements AgentLifecycleEvent {}

    /** An agent was retired. */
    record Retired(String tenant, String agentId, String retiredAt) implements AgentLifecycleEvent {}

    /** An agent handed a task to another agent; {@code agentId} is the one handing off. */
    record HandedOff(String tenant, String agentId, String handoffId, String toAgentId, String toAgentType, String task)
            implements AgentLifecycleEvent {}
}
