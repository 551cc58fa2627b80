package dev.devloop.contracts.identity;

import dev.devloop.contracts.Headers;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.util.List;

/**
 * Signs an outgoing REST client call for its target: the {@code Authorization} token names {@code audience} and
 * acts for the tenant and subject the call's {@code X-Devloop-Tenant}/{@code X-Devloop-Subject} headers carry.
 * A client interface registers a subclass that names its target, e.g.
 * {@code @RegisterProvider(ToKnowledgeService.class)}.
 */
public abstract class OutboundIdentity implements ClientRequestFilter {
    private final String audience;
    private volatile ServiceTokens tokens;

    protected OutboundIdentity(String audience) {
        this.audience = audience;
    }

    @Override
    public void filter(ClientRequestContext request) {
        String tenant = first(request, Headers.TENANT);
        String subject = first(request, Headers.SUBJECT);
        request.getHeaders().putSingle("Authorization", tokens().bearer(audience, tenant, subject, List.of()));
    }

    private static String first(ClientRequestContext request, String header) {
        Object value = request.getHeaders().getFirst(header);
        return value == null ? null : value.toString();
    }

    private ServiceTokens tokens() {
        ServiceTokens current = tokens;
        if (current == null) {
            current = CDI.current().select(ServiceTokens.class).get();
            tokens = current;
        }
        return current;
    }
}
