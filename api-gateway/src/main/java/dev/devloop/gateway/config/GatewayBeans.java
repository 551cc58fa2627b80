package dev.devloop.gateway.config;

import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.gateway.application.AgentRoutingService;
import dev.devloop.gateway.application.EventGrantService;
import dev.devloop.gateway.application.GithubWebhookService;
import dev.devloop.gateway.application.IdempotentCalls;
import dev.devloop.gateway.application.LiveEventsService;
import dev.devloop.gateway.application.RateLimitService;
import dev.devloop.gateway.application.RunBodyRules;
import dev.devloop.gateway.application.ServiceRoutingService;
import dev.devloop.gateway.application.WebhookDispatchService;
import dev.devloop.gateway.application.WebhookService;
import dev.devloop.gateway.application.WebhookUrlRules;
import dev.devloop.gateway.domain.ApiVersionPolicy;
import dev.devloop.gateway.domain.CellRouting;
import dev.devloop.gateway.domain.LeasePolicy;
import dev.devloop.gateway.domain.RateLimitPolicy;
import dev.devloop.gateway.domain.RetryPolicy;
import dev.devloop.gateway.domain.Service;
import dev.devloop.gateway.domain.WebhookDelivery;
import dev.devloop.gateway.ports.in.DispatchWebhooksUseCase;
import dev.devloop.gateway.ports.in.EventGrantsUseCase;
import dev.devloop.gateway.ports.in.LiveEventsUseCase;
import dev.devloop.gateway.ports.in.ManageWebhooksUseCase;
import dev.devloop.gateway.ports.in.RateLimitUseCase;
import dev.devloop.gateway.ports.in.RouteAgentCallsUseCase;
import dev.devloop.gateway.ports.in.RouteServiceCallsUseCase;
import dev.devloop.gateway.ports.out.AgentServicePort;
import dev.devloop.gateway.ports.out.DeliveryClaimsPort;
import dev.devloop.gateway.ports.out.DeliveryLogPort;
import dev.devloop.gateway.ports.out.DeliveryQueuePort;
import dev.devloop.gateway.ports.out.GithubRepositoryStorePort;
import dev.devloop.gateway.ports.out.GithubSecretStorePort;
import dev.devloop.gateway.ports.out.GrantRecordsPort;
import dev.devloop.gateway.ports.out.HostResolverPort;
import dev.devloop.gateway.ports.out.IdempotencyStorePort;
import dev.devloop.gateway.ports.out.PublishForgeEventPort;
import dev.devloop.gateway.ports.out.PublishGrantRevocationPort;
import dev.devloop.gateway.ports.out.RateLimitPort;
import dev.devloop.gateway.ports.out.ServiceHopPort;
import dev.devloop.gateway.ports.out.WebhookSenderPort;
import dev.devloop.gateway.ports.out.WebhookStorePort;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** Wires the framework-free core of the gateway to its adapters. */
@ApplicationScoped
@RegisterForReflection(targets = WebhookDelivery.class)
public class GatewayBeans {

    @Produces
    @ApplicationScoped
    RouteAgentCallsUseCase routeAgentCalls(
            AgentServicePort agentService, IdempotencyStorePort idempotency, GatewayConfig config) {
        return new AgentRoutingService(
                agentService,
                new RunBodyRules(
                        config.limits().maxRunBodyBytes(), config.limits().maxInputBytes()),
                idempotency,
                config.idempotency().pendingTtl(),
                config.idempotency().replayTtl());
    }

    @Produces
    @ApplicationScoped
    EventGrantsUseCase eventGrants(
            EventSignatures signatures,
            GrantRecordsPort records,
            PublishGrantRevocationPort revocations,
            GatewayConfig config,
            Clock clock) {
        return new EventGrantService(
                signatures,
                records,
                revocations,
                new EventGrantService.Paging(
                        config.grants().defaultPageSize(), config.grants().maxPageSize()),
                clock);
    }

    @Produces
    @ApplicationScoped
    RateLimitUseCase rateLimits(RateLimitPort counter, GatewayConfig config) {
        GatewayConfig.RateLimit.Lease lease = config.rateLimit().lease();
        return new RateLimitService(
                counter,
                new RateLimitPolicy(
                        config.rateLimit().perRole(),
                        config.rateLimit().defaultLimit(),
                        config.rateLimit().window()),
                new LeasePolicy(lease.maxTokens(), lease.share(), lease.ttl(), lease.maxKeys()),
                System::nanoTime);
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
        return new WebhookUrlRules(
                resolver,
                new HashSet<>(config.webhooks().allowedHosts().orElse(List.of())),
                config.webhooks().maxUrlLength());
    }

    @Produces
    @ApplicationScoped
    ManageWebhooksUseCase manageWebhooks(
            WebhookStorePort store, DeliveryLogPort log, WebhookUrlRules rules, GatewayConfig config, Clock clock) {
        GatewayConfig.Webhooks webhooks = config.webhooks();
        return new WebhookService(
                store,
                log,
                rules,
                new WebhookService.Limits(
                        webhooks.maxPerTenant(), webhooks.maxEventTypes(), webhooks.maxDeliveriesListed()),
                clock);
    }

    @Produces
    @ApplicationScoped
    DispatchWebhooksUseCase dispatchWebhooks(
            WebhookStorePort store,
            DeliveryLogPort log,
            DeliveryQueuePort queue,
            WebhookSenderPort sender,
            WebhookUrlRules rules,
            GatewayConfig config,
            Clock clock) {
        GatewayConfig.Webhooks webhooks = config.webhooks();
        return new WebhookDispatchService(
                store,
                log,
                queue,
                sender,
                rules,
                new RetryPolicy(webhooks.maxAttempts(), webhooks.initialBackoff(), webhooks.maxBackoff()),
                webhooks.maxPerTenant(),
                clock);
    }

    /**
     * The tenant → cell → base URL table; a bad table stops the boot with a message naming the entry
     * ({@code @Startup}: built at boot, not at the first request that needs it).
     */
    @Produces
    @ApplicationScoped
    @io.quarkus.runtime.Startup
    CellRouting cellRouting(GatewayConfig config) {
        Map<String, Map<Service, String>> urls = new HashMap<>();
        config.cells().urls().forEach((cell, services) -> {
            Map<Service, String> perService = new HashMap<>();
            services.forEach((name, url) -> perService.put(
                    Service.ofId(name)
                            .orElseThrow(() -> new IllegalArgumentException("devloop.gateway.cells.urls." + cell + "."
                                    + name + ": unknown service; known: agent-service, "
                                    + "knowledge-service, tool-service, provider-gateway")),
                    url));
            urls.put(cell, perService);
        });
        return new CellRouting(config.cells().tenants(), urls, config.cells().defaultCell());
    }

    @Produces
    @ApplicationScoped
    RouteServiceCallsUseCase routeServiceCalls(
            ServiceHopPort hop, CellRouting cells, IdempotencyStorePort idempotency, GatewayConfig config) {
        return new ServiceRoutingService(
                hop,
                cells,
                new IdempotentCalls(
                        idempotency,
                        config.idempotency().pendingTtl(),
                        config.idempotency().replayTtl()));
    }

    /** API versions from config; a malformed entry stops the boot naming it. */
    @Produces
    @ApplicationScoped
    ApiVersionPolicy apiVersions(GatewayConfig config) {
        Map<Integer, java.time.Instant> sunsets = new HashMap<>();
        Map<Integer, java.time.Instant> since = new HashMap<>();
        config.api()
                .deprecated()
                .forEach((version, sunset) ->
                        sunsets.put(version(version), instant("devloop.gateway.api.deprecated." + version, sunset)));
        config.api()
                .deprecatedSince()
                .forEach((version, at) ->
                        since.put(version(version), instant("devloop.gateway.api.deprecated-since." + version, at)));
        return new ApiVersionPolicy(config.api().current(), sunsets, since);
    }

    /** GitHub webhooks in, exposed as its three use cases (deliveries, the secret, the repositories). */
    @Produces
    @ApplicationScoped
    GithubWebhookService githubWebhooks(
            GithubSecretStorePort secrets,
            GithubRepositoryStorePort repositories,
            DeliveryClaimsPort claims,
            PublishForgeEventPort publisher,
            com.fasterxml.jackson.databind.ObjectMapper json,
            GatewayConfig config,
            Clock clock) {
        GatewayConfig.Github github = config.github();
        if (github.secretGracePeriod().isNegative()
                || github.secretGracePeriod().compareTo(java.time.Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("devloop.gateway.github.secret-grace-period must be between 0 and 7d");
        }
        if (github.maxBodyBytes() < 1) {
            throw new IllegalArgumentException("devloop.gateway.github.max-body-bytes must be positive");
        }
        return new GithubWebhookService(
                secrets,
                repositories,
                claims,
                publisher,
                json,
                new GithubWebhookService.Limits(
                        github.maxBodyBytes(), github.replayWindow(), github.pendingTtl(), github.secretGracePeriod()),
                clock);
    }

    private static int version(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "devloop.gateway.api.deprecated: '" + text + "' is not a version number", e);
        }
    }

    private static java.time.Instant instant(String key, String value) {
        try {
            return java.time.Instant.parse(value.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not an ISO-8601 instant", e);
        }
    }
}
