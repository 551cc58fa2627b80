package dev.devloop.agent.ports.in;

import dev.devloop.contracts.events.GrantRevoked;

/** Keeps a producer grant's revocation until the grant would have expired. */
public interface RecordGrantRevocationUseCase {
    /** Records {@code revocation}; false when it was already known (a replay changes nothing). */
    boolean record(GrantRevoked revocation);

    /** Whether the grant with this id ({@code jti}) was revoked. */
    boolean revoked(String grantId);
}
