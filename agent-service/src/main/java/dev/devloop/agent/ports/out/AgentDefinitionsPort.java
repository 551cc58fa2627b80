package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.AgentDefinition;
import java.util.List;
import java.util.Optional;

/**
 * Outgoing port: the agent types a tenant can use — the shipped ones (visible to every tenant) and the
 * ones that tenant registered (visible only to it).
 */
public interface AgentDefinitionsPort {
  Optional<AgentDefinition> definition(String tenant, String type);

  /** The shipped types, then the tenant's registered ones. */
  List<AgentDefinition> definitions(String tenant);
}
