package dev.devloop.provider.adapters.out.health;

import dev.devloop.provider.ports.out.ChatProviderPort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness entry {@code providers}: per provider whether it is configured and its circuit state,
 * without calling any provider. UP while at least one provider is configured and not open (or
 * when none is configured at all, since the gateway still answers with clear problems); DOWN only
 * when every configured provider's circuit is open.
 */
@Readiness
@ApplicationScoped
public class ProvidersReadiness implements HealthCheck {
  private final Instance<ChatProviderPort> providers;

  public ProvidersReadiness(Instance<ChatProviderPort> providers) {
    this.providers = providers;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("providers");
    int configured = 0;
    int serving = 0;
    for (ChatProviderPort p : providers) {
      String circuit = p.circuitState();
      b.withData(p.name(), (p.configured() ? "configured" : "not-configured") + ", circuit " + circuit);
      if (p.configured()) {
        configured++;
        if (!"open".equals(circuit)) {
          serving++;
        }
      }
    }
    return b.status(configured == 0 || serving > 0).build();
  }
}
