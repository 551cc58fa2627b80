package dev.devloop.gateway.adapters.out.http;

import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.CellRouting;
import dev.devloop.gateway.domain.Service;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: provider-gateway answers its own readiness probe. */
@Readiness
@Singleton
public class ProviderReadinessCheck extends SiblingReadinessCheck {
  public ProviderReadinessCheck(CellRouting cells, GatewayConfig config) {
    super(Service.PROVIDER, cells, config);
  }
}
