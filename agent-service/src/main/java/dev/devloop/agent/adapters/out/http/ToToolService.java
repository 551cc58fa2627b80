package dev.devloop.agent.adapters.out.http;

import dev.devloop.contracts.identity.OutboundIdentity;

/** Signs every call of {@link ToolServiceApi} with a token for tool-service, acting for the call's tenant. */
public class ToToolService extends OutboundIdentity {
    public ToToolService() {
        super("tool-service");
    }
}
