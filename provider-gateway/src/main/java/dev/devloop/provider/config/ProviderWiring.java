package dev.devloop.provider.config;

import dev.devloop.provider.application.GenerateService;
import dev.devloop.provider.domain.CacheSettings;
import dev.devloop.provider.domain.RequestLimits;
import dev.devloop.provider.ports.out.ChatProviderPort;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import dev.devloop.provider.ports.out.PublishUsagePort;
import dev.devloop.provider.ports.out.ResponseCachePort;
import dev.devloop.provider.ports.out.UsageLedgerPort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.devloop.provider.application.GatewayPolicies;
import dev.devloop.provider.domain.PriceTable;
import dev.devloop.provider.domain.RetryPolicy;
import dev.devloop.provider.domain.Route;
import dev.devloop.provider.ports.out.SpendPort;
import dev.devloop.provider.ports.out.EmbeddingProviderPort;
import dev.devloop.provider.application.EmbeddingsService;
import dev.devloop.provider.application.RuntimeSettingsService;
import dev.devloop.provider.ports.out.TenantSettingsPort;

/** CDI producers wiring the framework-free core to its adapters. */
@ApplicationScoped
public class ProviderWiring {

  /** The core service; it is both the {@code GenerateUseCase} and the {@code ListProvidersUseCase}. */
  @Produces
  @ApplicationScoped
  GenerateService generateService(
      ProviderConfig config,
      Instance<ChatProviderPort> providers,
      ProviderMetricsPort metrics,
      ResponseCachePort responses,
      UsageLedgerPort ledger,
      PublishUsagePort usageEvents,
      SpendPort spend,
      RuntimeSettingsService settings) {
    ProviderConfig.Cache c = config.cache();
    // a stable order for /v1/providers and /v1/models: OpenAI, Anthropic, Gemini, then any other by name
    List<String> order = List.of("openai", "anthropic", "gemini");
    List<ChatProviderPort> sorted = providers.stream()
        .sorted(java.util.Comparator.comparingInt((ChatProviderPort p) -> order.contains(p.name()) ? order.indexOf(p.name()) : order.size())
            .thenComparing(ChatProviderPort::name))
        .toList();
    return new GenerateService(
        sorted, config.defaultProvider(), limits(config), metrics, responses,
        new CacheSettings(c.enabled(), c.ttl(), c.maxEntryBytes()), ledger, usageEvents, Clock.systemUTC(),
        System::nanoTime, policies(config, spend), settings::effective);
  }

  /** Usage queries over the ledger. */
  @Produces
  @ApplicationScoped
  dev.devloop.provider.application.UsageQueryService usageQuery(ProviderConfig config,
      dev.devloop.provider.ports.out.UsageReportPort ledger) {
    return new dev.devloop.provider.application.UsageQueryService(ledger, Clock.systemUTC(), config.usage().maxGroups());
  }

  /** Per-tenant runtime settings over the configured cache defaults. */
  @Produces
  @ApplicationScoped
  RuntimeSettingsService runtimeSettings(ProviderConfig config, TenantSettingsPort store, ProviderMetricsPort metrics) {
    ProviderConfig.Cache c = config.cache();
    return new RuntimeSettingsService(store, new CacheSettings(c.enabled(), c.ttl(), c.maxEntryBytes()), metrics,
        config.settings().memo(), config.settings().maxMemo(), System::nanoTime);
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
    return new EmbeddingsService(List.copyOf(providers.stream().toList()), config.embeddings().defaultModel(),
        config.embeddings().maxInputs(), config.embeddings().maxInputChars(),
        new RetryPolicy(r.maxRetries(), r.baseDelay(), r.maxDelay(), r.maxRetryAfter()), metrics, ledger, usageEvents,
        Clock.systemUTC());
  }

  static GatewayPolicies policies(ProviderConfig config, SpendPort spend) {
    Map<String, List<Route>> aliases = new LinkedHashMap<>();
    config.aliases().forEach((alias, specs) -> aliases.put(alias, specs.stream().map(Route::parse).toList()));
    ProviderConfig.Retry r = config.retry();
    Map<String, PriceTable.Price> prices = new LinkedHashMap<>();
    config.prices().forEach((model, p) -> prices.put(model, new PriceTable.Price(p.inputPerMtok(), p.outputPerMtok())));
    return new GatewayPolicies(
        aliases,
        new RetryPolicy(r.maxRetries(), r.baseDelay(), r.maxDelay(), r.maxRetryAfter()),
        config.bulkhead().maxConcurrent(),
        config.bulkhead().maxWait(),
        new PriceTable(prices),
        config.budgets().tenants(),
        config.budgets().defaultMonthlyUsd().orElse(null),
        spend,
        Set.copyOf(config.pii().redactTenants().orElse(List.of())),
        GatewayPolicies.NONE.sleeper(),
        GatewayPolicies.NONE.random());
  }

  static RequestLimits limits(ProviderConfig config) {
    ProviderConfig.Limits l = config.limits();
    return new RequestLimits(
        l.maxMessages(), l.maxTotalChars(), l.maxTools(), l.maxSchemaDepth(), l.maxOutputTokens(), l.maxStopSequences());
  }
}
