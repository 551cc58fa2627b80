package dev.devloop.provider.adapters.out.openai;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness entry for the OpenAI provider: configuration and circuit state, without calling the
 * provider. It stays UP when unconfigured or open, because the gateway still answers (503 with a
 * clear problem) and other providers may serve.
 */
@Readiness
@ApplicationScoped
public class ProviderReadiness implements HealthCheck {
  private final OpenAiChatProvider provider;

  public ProviderReadiness(OpenAiChatProvider provider) {
    this.provider = provider;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("provider-openai")
        .up()
        .withData("configured", provider.configured())
        .withData("circuit", provider.circuitState())
        .withData("defaultModel", provider.defaultModel())
        .build();
  }
}
