package dev.devloop.contracts.events;

/**
 * Producer grants revoked before they expire. api-gateway publishes each revocation as a {@link GrantRevoked} event on
 * {@link dev.devloop.contracts.Topics#GRANT_REVOCATIONS}; the service that takes granted records keeps them and
 * answers here, so {@link EventGate} refuses a revoked grant's records as {@link InvalidEventException.Kind#REVOKED}.
 */
@FunctionalInterface
public interface GrantRevocations {
    GrantRevocations NONE = grantId -> false;

    boolean revoked(String grantId);
}
