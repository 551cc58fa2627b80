package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.AgentDefinition;
import java.util.List;
import java.util.Optional;

/** Outgoing port: the agent types this service knows. */
public interface AgentDefinitionsPort {
  Optional<AgentDefinition> find(String type);

  List<AgentDefinition> all();
}
