package dev.devloop.tools.adapters.out.http;

import dev.devloop.contracts.identity.OutboundIdentity;

/** Signs the knowledge-service REST clients' calls for knowledge-service, acting for the call's tenant header. */
public class ToKnowledgeService extends OutboundIdentity {
    public static final String AUDIENCE = "knowledge-service";

    public ToKnowledgeService() {
        super(AUDIENCE);
    }
}
