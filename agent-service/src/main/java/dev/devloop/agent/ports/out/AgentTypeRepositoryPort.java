package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.AgentDefinition;
import java.util.List;
import java.util.Optional;

/** Outgoing persistence port for the agent types a tenant registered; every call is scoped to one tenant. */
public interface AgentTypeRepositoryPort {
  /** Stores a new registration; false when the tenant already has one of that type. */
  boolean insert(String tenant, AgentDefinition definition);

  /** Replaces an existing registration; false when there is none. */
  boolean replace(String tenant, AgentDefinition definition);

  /** Removes a registration; false when there was none. */
  boolean delete(String tenant, String type);

  Optional<AgentDefinition> find(String tenant, String type);

  /** The tenant's registrations in type order, at most {@code limit}. */
  List<AgentDefinition> list(String tenant, int limit);

  long count(String tenant);
}
