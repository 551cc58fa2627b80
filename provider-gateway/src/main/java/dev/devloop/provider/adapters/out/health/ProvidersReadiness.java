package dev.devloop.provider.adapters.out.health;

import dev.devloop.provider.ports.in.ListProvidersUseCase;
import dev.devloop.provider.ports.in.ProviderView;
import jakarta.enterprise.context.ApplicationScoped;
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
    private final ListProvidersUseCase providers;

    /** Every provider the gateway routes to: the built-in ones and the named instances. */
    public ProvidersReadiness(ListProvidersUseCase providers) {
        this.providers = providers;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("providers");
        int configured = 0;
        int serving = 0;
        for (ProviderView p : providers.providers()) {
            String circuit = p.circuit();
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
