package dev.devloop.agent.ports.in;

import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentListKey;
import dev.devloop.agent.domain.AgentStatus;
import dev.devloop.agent.domain.AgentTree;
import java.util.List;
import java.util.Optional;

/** Incoming port: spawn, list, read as a tree, and retire agents. */
public interface ManageAgentsUseCase {
    Agent spawn(SpawnAgentCommand command);

    /** Agents matching every non-null criterion, newest first, at most {@code limit}, after {@code after} when given. */
    List<Agent> list(String tenant, String parentId, String type, AgentStatus status, int limit, AgentListKey after);

    Optional<AgentTree> tree(String tenant, String agentId);

    /** Retires the agent and its whole subtree; returns every agent retired, deepest first. */
    List<Agent> retire(String tenant, String agentId);
}
