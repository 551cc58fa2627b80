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
import dev.devloop.gateway.application.LiveEventsService;
import dev.devloop.gateway.application.WebhookDispatchService;
import dev.devloop.gateway.application.WebhookService;
import dev.devloop.gateway.application.WebhookUrlRules;
import dev.devloop.gateway.domain.RetryPolicy;
import dev.devloop.gateway.domain.WebhookDelivery;
import dev.devloop.gateway.ports.in.DispatchWebhooksUseCase;
import dev.devloop.gateway.ports.in.LiveEventsUseCase;
import dev.devloop.gateway.ports.in.ManageWebhooksUseCase;
import dev.devloop.gateway.ports.out.DeliveryLogPort;
import dev.devloop.gateway.ports.out.DeliveryQueuePort;
import dev.devloop.gateway.ports.out.HostResolverPort;
import dev.devloop.gateway.ports.out.WebhookSenderPort;
import dev.devloop.gateway.ports.out.WebhookStorePort;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;

/** Wires the framework-free core of the gateway to its adapters. */
@ApplicationScoped
@RegisterForReflection(targets = WebhookDelivery.class)
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

  /** The fan-out, exposed as {@link LiveEventsUseCase} and (for tests and metrics) as itself. */
  @Produces
  @ApplicationScoped
  LiveEventsService liveEventsService(GatewayConfig config) {
    GatewayConfig.Events events = config.events();
    return new LiveEventsService(events.bufferPerTenant(), events.maxTenants(), events.maxStreamsPerTenant());
  }

  @Produces
  @ApplicationScoped
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @ApplicationScoped
  WebhookUrlRules webhookUrlRules(HostResolverPort resolver, GatewayConfig config) {
    return new WebhookUrlRules(resolver, new HashSet<>(config.webhooks().allowedHosts().orElse(List.of())),
        config.webhooks().maxUrlLength());
  }

  @Produces
  @ApplicationScoped
  ManageWebhooksUseCase manageWebhooks(WebhookStorePort store, DeliveryLogPort log, WebhookUrlRules rules,
      GatewayConfig config, Clock clock) {
    GatewayConfig.Webhooks webhooks = config.webhooks();
    return new WebhookService(store, log, rules, new WebhookService.Limits(webhooks.maxPerTenant(),
        webhooks.maxEventTypes(), webhooks.maxDeliveriesListed()), clock);
  }

  @Produces
  @ApplicationScoped
  DispatchWebhooksUseCase dispatchWebhooks(WebhookStorePort store, DeliveryLogPort log, DeliveryQueuePort queue,
      WebhookSenderPort sender, WebhookUrlRules rules, GatewayConfig config, Clock clock) {
    GatewayConfig.Webhooks webhooks = config.webhooks();
    return new WebhookDispatchService(store, log, queue, sender, rules,
        new RetryPolicy(webhooks.maxAttempts(), webhooks.initialBackoff(), webhooks.maxBackoff()),
        webhooks.maxPerTenant(), clock);
  }
}
