package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.AgentDefinition;
import java.util.List;

/** Outgoing port: the agent types shipped with the service (read-only, the same for every tenant). */
public interface ShippedAgentDefinitionsPort {
    List<AgentDefinition> shipped();
}
