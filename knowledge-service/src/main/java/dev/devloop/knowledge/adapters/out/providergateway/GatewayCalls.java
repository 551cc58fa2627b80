package dev.devloop.knowledge.adapters.out.providergateway;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.knowledge.ports.out.DependencyUnavailableException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/** Maps provider-gateway failures: unreachable, 5xx, timeout or open circuit → 503; 4xx → 502. */
final class GatewayCalls {
    static final String SLUG = "provider-unavailable";

    private GatewayCalls() {}

    static <T> T call(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (WebApplicationException e) {
            int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
            if (status >= 500 || status == 429) {
                throw unavailable(what + " answered " + status, e);
            }
            throw new ProblemException(Problem.of(
                    502,
                    "provider-rejected",
                    "Bad gateway",
                    "provider-gateway rejected the " + what + " request with " + status + "."));
        } catch (ProcessingException e) {
            throw unavailable(what + " is unreachable", e);
        }
    }

    static DependencyUnavailableException unavailable(String detail, Throwable cause) {
        return new DependencyUnavailableException(SLUG, "provider-gateway " + detail + ".", cause);
    }

    /** For fault-tolerance failures (timeout, open circuit) raised around {@link #call}. */
    static DependencyUnavailableException unavailable(FaultToleranceException e) {
        return unavailable(
                "did not answer in time or its circuit is open (" + e.getClass().getSimpleName() + ")", e);
    }
}
