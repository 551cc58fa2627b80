package dev.devloop.gateway.config;

import dev.devloop.gateway.application.AgentRoutingService;
import dev.devloop.gateway.application.RunBodyRules;
import dev.devloop.gateway.ports.in.RouteAgentCallsUseCase;
import dev.devloop.gateway.ports.out.AgentServicePort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Wires the framework-free core of the gateway to its adapters. */
@ApplicationScoped
public class GatewayBeans {

  @Produces
  @ApplicationScoped
  RouteAgentCallsUseCase routeAgentCalls(AgentServicePort agentService, GatewayConfig config) {
    return new AgentRoutingService(agentService,
        new RunBodyRules(config.limits().maxRunBodyBytes(), config.limits().maxInputBytes()));
  }
}
