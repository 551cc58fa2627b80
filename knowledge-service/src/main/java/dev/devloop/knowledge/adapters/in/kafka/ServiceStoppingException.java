package dev.devloop.knowledge.adapters.in.kafka;

/** An event refused because the service is shutting down; it is left uncommitted for redelivery, never dead-lettered. */
public class ServiceStoppingException extends RuntimeException {
    public ServiceStoppingException() {
        super("the service is stopping; the event is left for redelivery", null, false, false);
    }
}
