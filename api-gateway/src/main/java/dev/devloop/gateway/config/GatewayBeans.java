package dev.devloop.gateway.config;

import dev.devloop.gateway.application.AgentRoutingService;
import dev.devloop.gateway.application.RateLimitService;
import dev.devloop.gateway.application.RunBodyRules;
import dev.devloop.gateway.domain.RateLimitPolicy;
import dev.devloop.gateway.ports.in.RateLimitUseCase;
import dev.devloop.gateway.ports.in.RouteAgentCallsUseCase;
import dev.devloop.gateway.ports.out.AgentServicePort;
import dev.devloop.gateway.ports.out.IdempotencyStorePort;
import dev.devloop.gateway.ports.out.RateLimitPort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Wires the framework-free core of the gateway to its adapters. */
@ApplicationScoped
public class GatewayBeans {

  @Produces
  @ApplicationScoped
  RouteAgentCallsUseCase routeAgentCalls(AgentServicePort agentService, IdempotencyStorePort idempotency,
      GatewayConfig config) {
    return new AgentRoutingService(agentService,
        new RunBodyRules(config.limits().maxRunBodyBytes(), config.limits().maxInputBytes()),
        idempotency, config.idempotency().pendingTtl(), config.idempotency().replayTtl());
  }

  @Produces
  @ApplicationScoped
  RateLimitUseCase rateLimits(RateLimitPort counter, GatewayConfig config) {
    return new RateLimitService(counter, new RateLimitPolicy(config.rateLimit().perRole(),
        config.rateLimit().defaultLimit(), config.rateLimit().window()));
  }
}
