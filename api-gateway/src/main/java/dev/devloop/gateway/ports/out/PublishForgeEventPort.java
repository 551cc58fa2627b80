package dev.devloop.gateway.ports.out;

import dev.devloop.contracts.events.CloudEvent;

/** Publishes forge events on {@code devloop.forge.events}, keyed by tenant, returning once Kafka acknowledged. */
public interface PublishForgeEventPort {
    /** @throws Unavailable when Kafka did not acknowledge in time */
    void publish(CloudEvent event);

    /** Thrown when the event was not acknowledged. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
