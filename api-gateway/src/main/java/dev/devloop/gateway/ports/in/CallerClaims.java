package dev.devloop.gateway.ports.in;

import dev.devloop.contracts.Tenants;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.domain.Caller;
import java.util.Set;

/**
 * The claims of a verified token as a {@link Caller}: a token without a usable tenant or subject is refused
 * ({@link Refusal.Reason#FORBIDDEN}, naming the claim). Shared by every inbound edge (REST, WebSocket).
 */
public final class CallerClaims {
    /** The claim carrying the tenant. */
    public static final String TENANT_CLAIM = "tenant";

    private CallerClaims() {}

    /** {@code groups} may be null (no roles). */
    public static Caller caller(String tenant, String subject, Set<String> groups) {
        if (tenant == null || tenant.isBlank()) {
            throw forbidden(TENANT_CLAIM, "the token carries no 'tenant' claim");
        }
        if (!Tenants.PATTERN.matcher(tenant).matches()) {
            throw forbidden(TENANT_CLAIM, "the token's 'tenant' claim must match " + Tenants.PATTERN.pattern());
        }
        if (subject == null || subject.isBlank()) {
            throw forbidden("sub", "the token carries no 'sub' claim");
        }
        return new Caller(subject, tenant, groups == null ? Set.of() : groups);
    }

    private static Refusal forbidden(String claim, String detail) {
        return new Refusal(Refusal.Reason.FORBIDDEN, "forbidden", "Forbidden", detail, claim);
    }
}
