package dev.devloop.agent.ports.in;

import dev.devloop.agent.domain.AgentDefinition;
import java.util.List;
import java.util.Optional;

/**
 * Incoming port: the agent types a tenant sees (shipped + its own registrations) and registering,
 * updating and removing its own.
 */
public interface ManageAgentTypesUseCase {
  List<AgentDefinition> list(String tenant);

  Optional<AgentDefinition> find(String tenant, String type);

  boolean isShipped(String type);

  /** Registers a new type for the tenant (400 invalid, 409 taken). */
  AgentDefinition register(String tenant, AgentTypeCommand command);

  /** Replaces the tenant's registration of {@code type} (404 unknown, 409 shipped). */
  AgentDefinition update(String tenant, String type, AgentTypeCommand command);

  /** Removes the tenant's registration (404 unknown; 409 shipped, referenced, or agents of it live). */
  void delete(String tenant, String type);
}
