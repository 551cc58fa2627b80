package dev.devloop.contracts.identity;

import java.util.List;

/**
 * Who a verified internal call acts for: the calling service ({@code azp}), the tenant and subject it acts for,
 * and the subject's roles. The tenant is null for platform calls that act for no tenant.
 */
public record CallerIdentity(String service, String tenant, String subject, List<String> roles) {
    /** The key under which the inbound filter leaves the verified caller on the Vert.x routing context. */
    public static final String CONTEXT_KEY = "devloop.caller";

    public CallerIdentity {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }
}
