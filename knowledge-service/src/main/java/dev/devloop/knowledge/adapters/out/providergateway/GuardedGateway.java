package dev.devloop.knowledge.adapters.out.providergateway;

import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.knowledge.ports.out.DependencyUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * provider-gateway calls under a timeout and a circuit breaker (only unavailability trips it, not a 4xx).
 * Override the bounds with MicroProfile config, e.g.
 * {@code dev.devloop.knowledge.adapters.out.providergateway.GuardedGateway/generate/Timeout/value=60000}.
 */
@ApplicationScoped
public class GuardedGateway {
    private final ProviderGatewayClient client;

    public GuardedGateway(@RestClient ProviderGatewayClient client) {
        this.client = client;
    }

    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(
            requestVolumeThreshold = 10,
            failureRatio = 0.5,
            delay = 10,
            delayUnit = ChronoUnit.SECONDS,
            failOn = DependencyUnavailableException.class)
    public GenerateResponse generate(String tenant, GenerateRequest request) {
        return GatewayCalls.call("generate", () -> client.generate(tenant, request));
    }

    @Timeout(value = 20, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(
            requestVolumeThreshold = 10,
            failureRatio = 0.5,
            delay = 10,
            delayUnit = ChronoUnit.SECONDS,
            failOn = DependencyUnavailableException.class)
    public ProviderGatewayClient.EmbeddingsResponse embeddings(
            String tenant, ProviderGatewayClient.EmbeddingsRequest request) {
        return GatewayCalls.call("embeddings", () -> client.embeddings(tenant, request));
    }
}
