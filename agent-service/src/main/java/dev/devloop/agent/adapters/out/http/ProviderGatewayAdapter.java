package dev.devloop.agent.adapters.out.http;

import dev.devloop.agent.ports.out.ModelPort;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import jakarta.enterprise.context.ApplicationScoped;

/** Outbound adapter: the model port served by provider-gateway. */
@ApplicationScoped
class ProviderGatewayAdapter implements ModelPort {
    private final ProviderGatewayCalls calls;

    ProviderGatewayAdapter(ProviderGatewayCalls calls) {
        this.calls = calls;
    }

    @Override
    public GenerateResponse generate(String tenant, GenerateRequest request) {
        return DownstreamErrors.guarded(ProviderGatewayCalls.SERVICE, () -> calls.generate(tenant, request));
    }
}
