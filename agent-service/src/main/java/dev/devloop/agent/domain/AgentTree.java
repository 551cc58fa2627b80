package dev.devloop.agent.domain;

import java.util.List;

/** An agent with its descendants. */
public record AgentTree(Agent agent, List<AgentTree> children) {
    public AgentTree {
        children = List.copyOf(children);
    }

    public int size() {
        return 1 + children.stream().mapToInt(AgentTree::size).sum();
    }
}
