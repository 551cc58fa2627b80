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
import java.util.List;

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
      PublishUsagePort usageEvents) {
    ProviderConfig.Cache c = config.cache();
    return new GenerateService(
        List.copyOf(providers.stream().toList()), config.defaultProvider(), limits(config), metrics, responses,
        new CacheSettings(c.enabled(), c.ttl(), c.maxEntryBytes()), ledger, usageEvents, Clock.systemUTC(),
        System::nanoTime);
  }

  static RequestLimits limits(ProviderConfig config) {
    ProviderConfig.Limits l = config.limits();
    return new RequestLimits(
        l.maxMessages(), l.maxTotalChars(), l.maxTools(), l.maxSchemaDepth(), l.maxOutputTokens(), l.maxStopSequences());
  }
}
