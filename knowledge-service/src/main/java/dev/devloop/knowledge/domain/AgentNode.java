package dev.devloop.knowledge.domain;

import java.util.List;

/** One agent as read back from the graph, with the handoffs it made; {@code parentId} null for a root. */
public record AgentNode(
        String id,
        String type,
        String level,
        String status,
        String parentId,
        String createdAt,
        String retiredAt,
        List<Handoff> handoffs) {

    /** A {@code HANDED_OFF_TO} edge leaving this agent. */
    public record Handoff(String handoffId, String toAgentId, String toAgentType, String task) {}
}
