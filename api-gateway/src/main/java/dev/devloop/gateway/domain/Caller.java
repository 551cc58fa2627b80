package dev.devloop.gateway.domain;

import java.util.Objects;
import java.util.Set;

/** The authenticated client behind a request: subject, tenant and roles, all taken from its token. */
public record Caller(String subject, String tenant, Set<String> roles) {
    public Caller {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(tenant, "tenant");
        roles = Set.copyOf(roles);
    }

    /** The most privileged Devloop role the caller holds, or {@code null}. */
    public String highestRole() {
        return Roles.highest(roles);
    }
}
