package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.ComponentHealth;

/** Outgoing port publishing component status on {@code devloop.system.health} (key = component). */
public interface HealthEventsPort {
    void status(String tenant, ComponentHealth health, String checkedBy);

    void report(String tenant, String checkId, String agentId, String report, int unhealthy);
}
