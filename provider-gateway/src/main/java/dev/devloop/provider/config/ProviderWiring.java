package dev.devloop.provider.config;

import dev.devloop.provider.application.GenerateService;
import dev.devloop.provider.domain.RequestLimits;
import dev.devloop.provider.ports.out.ChatProviderPort;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.util.List;

/** CDI producers wiring the framework-free core to its adapters. */
@ApplicationScoped
public class ProviderWiring {

  /** The core service; it is both the {@code GenerateUseCase} and the {@code ListProvidersUseCase}. */
  @Produces
  @ApplicationScoped
  GenerateService generateService(
      ProviderConfig config, Instance<ChatProviderPort> providers, ProviderMetricsPort metrics) {
    return new GenerateService(
        List.copyOf(providers.stream().toList()), config.defaultProvider(), limits(config), metrics, System::nanoTime);
  }

  static RequestLimits limits(ProviderConfig config) {
    ProviderConfig.Limits l = config.limits();
    return new RequestLimits(
        l.maxMessages(), l.maxTotalChars(), l.maxTools(), l.maxSchemaDepth(), l.maxOutputTokens(), l.maxStopSequences());
  }
}
