package dev.devloop.agent.ports.in;

import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentLiveness;
import java.util.List;
import java.util.Map;

/** Incoming port: the liveness of agents (availability, runs in flight, heartbeat) by agent id. */
public interface AgentAvailabilityUseCase {
    Map<String, AgentLiveness> liveness(String tenant, List<Agent> agents);
}
