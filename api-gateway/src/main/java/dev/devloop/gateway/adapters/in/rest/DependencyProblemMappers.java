package dev.devloop.gateway.adapters.in.rest;

import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemResponses;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A store the gateway owns being unreachable is the client's 503 (with {@code Retry-After}, added by
 * {@link ContractResponseFilter}), never a 500: MongoDB (webhooks) down or timing out.
 */
public class DependencyProblemMappers {
    private static final Logger LOG = Logger.getLogger(DependencyProblemMappers.class);

    @ServerExceptionMapper
    public Response mongoDown(MongoException e, HttpServerRequest request) {
        if (e instanceof MongoWriteException) {
            LogFields.of("method", request.method(), "path", request.path()).error(LOG, e, "MongoDB refused a write");
            return ProblemResponses.of(Problem.of(
                    500, "internal-error", "Internal error", "An unexpected error occurred; it has been logged."));
        }
        LogFields.of("method", request.method(), "path", request.path(), "error", e.getMessage())
                .warn(LOG, "MongoDB unavailable");
        return ProblemResponses.of(Problem.of(
                503,
                "webhook-store-unavailable",
                "Dependency unavailable",
                "MongoDB (webhook subscriptions and delivery logs) is unavailable; retry later."));
    }
}
