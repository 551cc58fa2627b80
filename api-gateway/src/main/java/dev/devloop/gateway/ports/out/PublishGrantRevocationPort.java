package dev.devloop.gateway.ports.out;

import dev.devloop.contracts.events.GrantRevoked;

/** Publishes a revocation on {@code devloop.grants.revocations}, keyed by grant id, returning once Kafka acknowledged. */
public interface PublishGrantRevocationPort {
    /** @throws Unavailable when Kafka did not acknowledge in time */
    void publish(GrantRevoked revoked);

    /** Thrown when the revocation was not acknowledged. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
