package dev.devloop.knowledge.ports.out;

import dev.devloop.knowledge.domain.AgentLifecycleEvent;
import dev.devloop.knowledge.domain.AgentNode;
import java.util.List;

/** Outgoing port of the agent mirror in the graph: {@code (:Agent)} nodes, {@code PARENT_OF}, {@code HANDED_OFF_TO}. */
public interface AgentGraphPort {
    /** Applies one lifecycle transition; applying the same transition twice changes nothing. */
    void apply(AgentLifecycleEvent event);

    /** The agent and its descendants down to {@code maxDepth}, at most {@code maxNodes}; empty when unknown. */
    List<AgentNode> subtree(String tenant, String agentId, int maxDepth, int maxNodes);
}
