package dev.devloop.gateway.adapters.in.rest;

import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemResponses;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A store the gateway owns being unreachable is the client's 503 (with {@code Retry-After}, added by
 * {@link ContractResponseFilter}), never a 500: MongoDB (webhooks) down or timing out.
 */
public class DependencyProblemMappers {

    @ServerExceptionMapper
    public Response mongoDown(MongoException e, HttpServerRequest request) {
        if (e instanceof MongoWriteException) {
            Log.errorf(e, "MongoDB refused a write method=%s path=%s", request.method(), request.path());
            return ProblemResponses.of(Problem.of(
                    500, "internal-error", "Internal error", "An unexpected error occurred; it has been logged."));
        }
        Log.warnf("MongoDB unavailable method=%s path=%s: %s", request.method(), request.path(), e.getMessage());
        return ProblemResponses.of(Problem.of(
                503,
                "webhook-store-unavailable",
                "Dependency unavailable",
                "MongoDB (webhook subscriptions and delivery logs) is unavailable; retry later."));
    }
}
