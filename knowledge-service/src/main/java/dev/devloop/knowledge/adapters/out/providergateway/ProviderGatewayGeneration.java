package dev.devloop.knowledge.adapters.out.providergateway;

import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.knowledge.ports.out.GenerationPort;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/** Generation through provider-gateway's {@code POST /v1/generate}; down, slow or open circuit → 503. */
@ApplicationScoped
public class ProviderGatewayGeneration implements GenerationPort {
    private final GuardedGateway gateway;

    public ProviderGatewayGeneration(GuardedGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public GenerateResponse generate(String tenant, GenerateRequest request) {
        try {
            return gateway.generate(tenant, request);
        } catch (FaultToleranceException e) {
            throw GatewayCalls.unavailable(e);
        }
    }
}
