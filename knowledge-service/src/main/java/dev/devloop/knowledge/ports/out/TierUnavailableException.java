package dev.devloop.knowledge.ports.out;

/**
 * Thrown by an outgoing adapter whose store is down or too slow; the REST edge answers 503 problem+json
 * {@value #SLUG}.
 */
public class TierUnavailableException extends RuntimeException {
    public static final String SLUG = "store-unavailable";

    private final String store;

    public TierUnavailableException(String store, Throwable cause) {
        super("The " + store + " store is unavailable.", cause);
        this.store = store;
    }

    /** Name of the unavailable store: {@code redis}, {@code mongodb} or {@code neo4j}. */
    public String store() {
        return store;
    }

    public String detail() {
        return getMessage();
    }
}
