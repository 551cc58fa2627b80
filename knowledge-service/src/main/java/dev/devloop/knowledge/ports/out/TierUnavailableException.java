package dev.devloop.knowledge.ports.out;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;

/** Thrown by an outgoing adapter whose store is down or too slow; answers 503 problem+json. */
public class TierUnavailableException extends ProblemException {
    private final String store;

    public TierUnavailableException(String store, Throwable cause) {
        super(Problem.of(
                503, "store-unavailable", "Dependency unavailable", "The " + store + " store is unavailable."));
        this.store = store;
        if (cause != null) {
            initCause(cause);
        }
    }

    /** Name of the unavailable store: {@code redis}, {@code mongodb} or {@code neo4j}. */
    public String store() {
        return store;
    }
}
