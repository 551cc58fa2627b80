package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentStatus;
import java.util.List;
import java.util.Optional;

/** Outgoing persistence port for agents; every call is scoped to one tenant. */
public interface AgentRepositoryPort {
  void save(Agent agent);

  Optional<Agent> find(String tenant, String agentId);

  void updateStatus(String tenant, String agentId, AgentStatus status);

  /** Agents matching every non-null criterion, newest first, at most {@code limit}. */
  List<Agent> list(String tenant, String parentId, String type, AgentStatus status, int limit);

  List<Agent> children(String tenant, String parentId);
}
