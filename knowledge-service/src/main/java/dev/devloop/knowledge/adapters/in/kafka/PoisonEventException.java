package dev.devloop.knowledge.adapters.in.kafka;

/** An event that can never be applied (malformed, wrong type, invalid data); it goes to the dead-letter topic. */
public class PoisonEventException extends RuntimeException {
    public PoisonEventException(String message) {
        super(message);
    }

    public PoisonEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
