package dev.devloop.agent.adapters.out.http;

import dev.devloop.contracts.identity.OutboundIdentity;

/** Signs every call of {@link ProviderGatewayApi} with a token for provider-gateway, acting for the call's tenant. */
public class ToProviderGateway extends OutboundIdentity {
    public ToProviderGateway() {
        super("provider-gateway");
    }
}
