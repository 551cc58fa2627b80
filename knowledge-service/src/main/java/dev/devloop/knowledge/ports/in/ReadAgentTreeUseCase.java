package dev.devloop.knowledge.ports.in;

import dev.devloop.knowledge.domain.AgentTree;

/** Incoming port: read an agent's subtree back from the graph; 404 when the agent is unknown. */
public interface ReadAgentTreeUseCase {
    AgentTree tree(String tenant, String agentId);
}
