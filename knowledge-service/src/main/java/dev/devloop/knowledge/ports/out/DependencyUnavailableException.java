package dev.devloop.knowledge.ports.out;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;

/** Thrown by an outgoing adapter whose remote dependency (provider-gateway) is down or too slow: 503. */
public class DependencyUnavailableException extends ProblemException {

    public DependencyUnavailableException(String slug, String detail, Throwable cause) {
        super(Problem.of(503, slug, "Dependency unavailable", detail));
        if (cause != null) {
            initCause(cause);
        }
    }
}
