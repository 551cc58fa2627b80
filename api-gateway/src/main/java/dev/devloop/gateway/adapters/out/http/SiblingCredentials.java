package dev.devloop.gateway.adapters.out.http;

import dev.devloop.contracts.identity.ServiceTokens;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.Service;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/**
 * The {@code Authorization} of a hop to a sibling: a token this gateway signs for that sibling, acting for the
 * caller's verified tenant, subject and roles (its public JWT's {@code groups}). The caller's own public token is
 * never forwarded. {@link ServiceTokens} reuses a token per (target, tenant, subject, roles) for half its life, so
 * a hop costs one cache lookup.
 */
@ApplicationScoped
public class SiblingCredentials {
    private final ServiceTokens tokens;

    public SiblingCredentials(ServiceTokens tokens) {
        this.tokens = tokens;
    }

    /** {@code Bearer <token>} for a call to {@code target} on behalf of {@code caller}. */
    public String authorization(Service target, Caller caller) {
        return tokens.bearer(target.id(), caller.tenant(), caller.subject(), roles(caller.roles()));
    }

    /** A stable order, so the same roles always hit the same cached token. */
    static List<String> roles(Set<String> roles) {
        return roles.size() <= 1 ? List.copyOf(roles) : roles.stream().sorted().toList();
    }
}
