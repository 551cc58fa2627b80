package dev.devloop.knowledge.adapters.out.providergateway;

import dev.devloop.contracts.identity.OutboundIdentity;

/** Signs every provider-gateway call with a token for provider-gateway, acting for the call's tenant. */
public class ToProviderGateway extends OutboundIdentity {
    public ToProviderGateway() {
        super("provider-gateway");
    }
}
