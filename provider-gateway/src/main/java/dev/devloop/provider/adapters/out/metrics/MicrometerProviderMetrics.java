package dev.devloop.provider.adapters.out.metrics;

import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Micrometer metrics: {@code devloop_provider_tokens} (counter; provider, model, direction) and
 * {@code devloop_provider_request_seconds} (timer; provider, model, outcome) and
 * {@code devloop_provider_cache} (counter; provider, model, result).
 */
@ApplicationScoped
public class MicrometerProviderMetrics implements ProviderMetricsPort {
  static final String TOKENS = "devloop.provider.tokens";
  static final String REQUESTS = "devloop.provider.request";
  static final String CACHE = "devloop.provider.cache";

  private final MeterRegistry registry;

  public MicrometerProviderMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void recordCall(String provider, String model, String outcome, Duration elapsed, Usage usage) {
    Timer.builder(REQUESTS)
        .description("Provider calls by provider, model and outcome")
        .tags("provider", provider, "model", model, "outcome", outcome)
        .register(registry)
        .record(elapsed);
    if (usage != null) {
      count(provider, model, "input", usage.inputTokens());
      count(provider, model, "output", usage.outputTokens());
    }
  }

  @Override
  public void recordCache(String provider, String model, String result) {
    Counter.builder(CACHE)
        .description("Response-cache lookups by result (hit, miss, bypass)")
        .tags("provider", provider, "model", model, "result", result)
        .register(registry)
        .increment();
  }

  private void count(String provider, String model, String direction, long tokens) {
    if (tokens > 0) {
      Counter.builder(TOKENS)
          .description("Tokens sent to (input) and received from (output) providers")
          .baseUnit("tokens")
          .tags("provider", provider, "model", model, "direction", direction)
          .register(registry)
          .increment(tokens);
    }
  }
}
