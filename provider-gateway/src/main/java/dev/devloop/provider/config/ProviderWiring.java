package dev.devloop.provider.config;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.identity.IdentityConfig;
import dev.devloop.provider.application.EmbeddingsService;
import dev.devloop.provider.application.GatewayPolicies;
import dev.devloop.provider.application.GenerateService;
import dev.devloop.provider.application.PromptSafety;
import dev.devloop.provider.application.RuntimeSettingsService;
import dev.devloop.provider.application.SafetySettingsService;
import dev.devloop.provider.domain.BulkheadLimit;
import dev.devloop.provider.domain.CacheSettings;
import dev.devloop.provider.domain.InjectionMode;
import dev.devloop.provider.domain.PriceTable;
import dev.devloop.provider.domain.RequestLimits;
import dev.devloop.provider.domain.RetryPolicy;
import dev.devloop.provider.domain.Route;
import dev.devloop.provider.domain.SafetySettings;
import dev.devloop.provider.ports.in.GenerateUseCase;
import dev.devloop.provider.ports.in.ListProvidersUseCase;
import dev.devloop.provider.ports.in.ResetCircuitUseCase;
import dev.devloop.provider.ports.out.ChatProviderPort;
import dev.devloop.provider.ports.out.EmbeddingProviderPort;
import dev.devloop.provider.ports.out.InjectionDetectorPort;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import dev.devloop.provider.ports.out.PublishUsagePort;
import dev.devloop.provider.ports.out.ResponseCachePort;
import dev.devloop.provider.ports.out.SafetySettingsPort;
import dev.devloop.provider.ports.out.SpendPort;
import dev.devloop.provider.ports.out.TenantSettingsPort;
import dev.devloop.provider.ports.out.UsageLedgerPort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** CDI producers wiring the framework-free core to its adapters. */
@ApplicationScoped
public class ProviderWiring {
    static final String SETTINGS_RELOADS = "settings-reload";

    /**
     * Reloads of stale tenant settings (safety in MongoDB, runtime in Redis), off the request path: one daemon thread,
     * at most 1 024 queued (beyond that a caller reloads itself), reads bounded by the stores' own timeouts; shut down
     * with the application ({@link #closeSettingsReloads}).
     */
    @Produces
    @ApplicationScoped
    @Named(SETTINGS_RELOADS)
    ExecutorService settingsReloads() {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1024), r -> {
            Thread t = new Thread(r, SETTINGS_RELOADS);
            t.setDaemon(true);
            return t;
        });
    }

    void closeSettingsReloads(@Disposes @Named(SETTINGS_RELOADS) ExecutorService reloads) {
        reloads.shutdownNow(); // a queued reload is worthless once the application stops
    }

    /**
     * The core service; it is the {@code ListProvidersUseCase} and {@code ResetCircuitUseCase}, and behind
     * {@link #generateUseCase} the {@code GenerateUseCase}.
     */
    @Produces
    @ApplicationScoped
    @Typed({GenerateService.class, ListProvidersUseCase.class, ResetCircuitUseCase.class})
    GenerateService generateService(
            ProviderConfig config,
            Instance<ChatProviderPort> providers,
            dev.devloop.provider.adapters.out.langchain.openai.OpenAiInstances instances,
            ProviderMetricsPort metrics,
            ResponseCachePort responses,
            UsageLedgerPort ledger,
            PublishUsagePort usageEvents,
            SpendPort spend,
            RuntimeSettingsService settings,
            PromptSafety safety) {
        ProviderConfig.Cache c = config.cache();
        // a stable order for /v1/providers and /v1/models: the built-in providers, then the named instances by name
        List<String> order = List.of("openai", "anthropic", "gemini", "vertex", "local");
        List<ChatProviderPort> sorted = java.util.stream.Stream.concat(
                        providers.stream(), instances.providers().stream())
                .sorted(java.util.Comparator.comparingInt((ChatProviderPort p) ->
                                order.contains(p.name()) ? order.indexOf(p.name()) : order.size())
                        .thenComparing(ChatProviderPort::name))
                .toList();
        return new GenerateService(
                        sorted,
                        config.defaultProvider(),
                        limits(config),
                        metrics,
                        responses,
                        new CacheSettings(c.enabled(), c.ttl(), c.maxEntryBytes()),
                        ledger,
                        usageEvents,
                        Clock.systemUTC(),
                        System::nanoTime,
                        policies(config, spend),
                        settings::effective,
                        safety,
                        config.rejectUnknownModels())
                // after a non-blocking provider call: off the event loop that completed it (Redis, MongoDB may block)
                .afterCallsOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                .sendsOn(ProviderWiring::onRequestEventLoop);
    }

    /**
     * Runs {@code task} on the event loop of the calling request (its Vert.x context, which a blocking route's worker
     * carries): a non-blocking provider call started there is sent, guarded (SmallRye FT keeps an event loop's action
     * on it; from a worker it re-dispatches it to another worker with {@code executeBlocking}), answered and finished
     * there. Without an event-loop context (a test, a Kafka thread), or already on the event loop: here.
     */
    static void onRequestEventLoop(Runnable task) {
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        if (context == null || !context.isEventLoopContext() || io.vertx.core.Context.isOnEventLoopThread()) {
            task.run();
            return;
        }
        context.runOnContext(ignored -> task.run());
    }

    /**
     * What the routes call: the core service, or the start-up warm-up's private one for its own loopback calls (the
     * warm-up is a readiness check, hence its qualifier).
     */
    @Produces
    @Singleton
    GenerateUseCase generateUseCase(
            GenerateService main,
            @org.eclipse.microprofile.health.Readiness HotPathWarmup warmup,
            Caller caller,
            IdentityConfig identity) {
        return new WarmupRouting(main, warmup, caller, identity.service());
    }

    /** Per-tenant safety settings (PII redaction, injection mode) over the configured defaults, audited. */
    @Produces
    @ApplicationScoped
    SafetySettingsService safetySettings(
            ProviderConfig config,
            SafetySettingsPort store,
            ProviderMetricsPort metrics,
            @Named(SETTINGS_RELOADS) ExecutorService reloads) {
        return new SafetySettingsService(
                        store,
                        safetyDefaults(config),
                        metrics,
                        Clock.systemUTC(),
                        config.settings().memo(),
                        config.settings().maxMemo(),
                        System::nanoTime,
                        reloads)
                .withMaxAuditEntries(config.safety().maxAuditEntries());
    }

    /** The screening and redaction decisions of the generate path. */
    @Produces
    @ApplicationScoped
    PromptSafety promptSafety(
            ProviderConfig config,
            SafetySettingsService settings,
            InjectionDetectorPort detector,
            ProviderMetricsPort metrics) {
        return new PromptSafety(settings::effective, detector, config.safety().injectionThreshold(), metrics);
    }

    /** The configured defaults; an unknown injection mode fails startup naming the key. */
    static SafetySettings safetyDefaults(ProviderConfig config) {
        InjectionMode mode = InjectionMode.of(config.safety().injectionMode())
                .orElseThrow(() -> new IllegalArgumentException(
                        "devloop.provider.safety.injection-mode must be block, flag or off, got '"
                                + config.safety().injectionMode() + "'"));
        double threshold = config.safety().injectionThreshold();
        if (threshold <= 0 || threshold > 1) {
            throw new IllegalArgumentException(
                    "devloop.provider.safety.injection-threshold must be within (0, 1], got " + threshold);
        }
        return SafetySettings.defaults(config.safety().piiRedaction(), mode);
    }

    /** Usage queries over the ledger. */
    @Produces
    @ApplicationScoped
    dev.devloop.provider.application.UsageQueryService usageQuery(
            ProviderConfig config, dev.devloop.provider.ports.out.UsageReportPort ledger) {
        return new dev.devloop.provider.application.UsageQueryService(
                ledger, Clock.systemUTC(), config.usage().maxGroups());
    }

    /** Per-tenant runtime settings over the configured cache defaults. */
    @Produces
    @ApplicationScoped
    RuntimeSettingsService runtimeSettings(
            ProviderConfig config,
            TenantSettingsPort store,
            ProviderMetricsPort metrics,
            @Named(SETTINGS_RELOADS) ExecutorService reloads) {
        ProviderConfig.Cache c = config.cache();
        return new RuntimeSettingsService(
                store,
                new CacheSettings(c.enabled(), c.ttl(), c.maxEntryBytes()),
                metrics,
                config.settings().memo(),
                config.settings().maxMemo(),
                System::nanoTime,
                reloads);
    }

    /** Clearing a tenant's response cache. */
    @Produces
    @ApplicationScoped
    dev.devloop.provider.application.ResponseCacheAdmin responseCacheAdmin(ResponseCachePort responses) {
        return new dev.devloop.provider.application.ResponseCacheAdmin(responses);
    }

    /** The embeddings use case over every embedding provider. */
    @Produces
    @ApplicationScoped
    EmbeddingsService embeddingsService(
            ProviderConfig config,
            Instance<EmbeddingProviderPort> providers,
            ProviderMetricsPort metrics,
            UsageLedgerPort ledger,
            PublishUsagePort usageEvents) {
        ProviderConfig.Retry r = config.retry();
        return new EmbeddingsService(
                List.copyOf(providers.stream().toList()),
                config.embeddings().defaultModel(),
                config.embeddings().maxInputs(),
                config.embeddings().maxInputChars(),
                new RetryPolicy(r.maxRetries(), r.baseDelay(), r.maxDelay(), r.maxRetryAfter()),
                metrics,
                ledger,
                usageEvents,
                Clock.systemUTC());
    }

    static GatewayPolicies policies(ProviderConfig config, SpendPort spend) {
        Map<String, List<Route>> aliases = new LinkedHashMap<>();
        config.aliases()
                .forEach((alias, specs) ->
                        aliases.put(alias, specs.stream().map(Route::parse).toList()));
        ProviderConfig.Retry r = config.retry();
        Map<String, PriceTable.Price> prices = new LinkedHashMap<>();
        config.prices()
                .forEach((model, p) -> prices.put(model, new PriceTable.Price(p.inputPerMtok(), p.outputPerMtok())));
        return new GatewayPolicies(
                aliases,
                new RetryPolicy(r.maxRetries(), r.baseDelay(), r.maxDelay(), r.maxRetryAfter()),
                config.bulkhead().maxConcurrent(),
                new PriceTable(prices),
                config.budgets().tenants(),
                config.budgets().defaultMonthlyUsd().orElse(null),
                spend,
                Set.copyOf(config.pii().redactTenants().orElse(List.of())),
                GatewayPolicies.NONE.retryWaits(),
                GatewayPolicies.NONE.random(),
                bulkheads(config),
                retries(config));
    }

    /** Each provider's own retry policy, where one is configured; missing keys take the global values. */
    static Map<String, RetryPolicy> retries(ProviderConfig config) {
        Map<String, ProviderConfig.ProviderRetry> own = new LinkedHashMap<>();
        own.put("openai", config.openai().retry());
        own.put("anthropic", config.anthropic().retry());
        own.put("gemini", config.gemini().retry());
        own.put("vertex", config.vertex().retry());
        own.put("local", config.local().retry());
        config.instances().forEach((name, instance) -> own.put(name, instance.retry()));
        ProviderConfig.Retry global = config.retry();
        Map<String, RetryPolicy> policies = new LinkedHashMap<>();
        own.forEach((provider, r) -> {
            if (r.maxRetries().isPresent()
                    || r.baseDelay().isPresent()
                    || r.maxDelay().isPresent()
                    || r.maxRetryAfter().isPresent()) {
                policies.put(
                        provider,
                        new RetryPolicy(
                                r.maxRetries().orElse(global.maxRetries()),
                                r.baseDelay().orElse(global.baseDelay()),
                                r.maxDelay().orElse(global.maxDelay()),
                                r.maxRetryAfter().orElse(global.maxRetryAfter())));
            }
        });
        return policies;
    }

    /** Each provider's own bulkhead, where one is configured; missing keys take the global values. */
    static Map<String, BulkheadLimit> bulkheads(ProviderConfig config) {
        Map<String, ProviderConfig.ProviderBulkhead> own = new LinkedHashMap<>();
        Map<String, String> prefixes = new LinkedHashMap<>();
        own.put("openai", config.openai().bulkhead());
        own.put("anthropic", config.anthropic().bulkhead());
        own.put("gemini", config.gemini().bulkhead());
        own.put("vertex", config.vertex().bulkhead());
        own.put("local", config.local().bulkhead());
        own.keySet().forEach(p -> prefixes.put(p, "devloop.provider." + p + ".bulkhead."));
        config.instances().forEach((name, instance) -> {
            own.put(name, instance.bulkhead());
            prefixes.put(name, "devloop.provider.instances." + name + ".bulkhead.");
        });
        Map<String, BulkheadLimit> limits = new LinkedHashMap<>();
        own.forEach((provider, b) -> {
            if (b.maxConcurrent().isPresent()) {
                limits.put(
                        provider,
                        new BulkheadLimit(b.maxConcurrent().get(), prefixes.get(provider) + "max-concurrent"));
            }
        });
        return limits;
    }

    static RequestLimits limits(ProviderConfig config) {
        ProviderConfig.Limits l = config.limits();
        return new RequestLimits(
                l.maxMessages(),
                l.maxTotalChars(),
                l.maxTools(),
                l.maxSchemaDepth(),
                l.maxOutputTokens(),
                l.maxStopSequences());
    }
}
