package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.ComponentHealth;

/** Outgoing port reading one service's health and metrics endpoints; never throws, DOWN says why. */
public interface HealthProbePort {
    ComponentHealth probe(String component, String baseUrl);
}
