package dev.devloop.agent.ports.out;

import dev.devloop.contracts.events.GrantRevoked;

/** Revoked producer grants, by grant id, each kept until the grant would have expired. */
public interface GrantRevocationRepositoryPort {
    /** Stores {@code revocation} unless one for its grant is already kept; true when it was new. */
    boolean saveIfAbsent(GrantRevoked revocation);

    boolean exists(String grantId);
}
