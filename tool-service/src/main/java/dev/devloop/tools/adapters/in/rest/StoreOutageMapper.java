package dev.devloop.tools.adapters.in.rest;

import com.mongodb.MongoException;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemResponses;
import dev.devloop.migrations.MongoOutages;
import io.quarkus.logging.Log;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request that met a MongoDB outage (registry, audit, idempotency ledger) answers 503 with {@code Retry-After}, so
 * callers wait and retry with the same idempotency key; any other store failure stays a 500 problem.
 */
public class StoreOutageMapper {
    static final String RETRY_AFTER_SECONDS = "5";

    @ServerExceptionMapper
    public Response store(MongoException e) {
        if (MongoOutages.isTransient(e)) {
            return Response.fromResponse(ProblemResponses.of(Problem.of(
                            503,
                            "store-unavailable",
                            "Store unavailable",
                            "tool-service's store (MongoDB) cannot be reached right now; retry after "
                                    + RETRY_AFTER_SECONDS + " s.")))
                    .header("Retry-After", RETRY_AFTER_SECONDS)
                    .build();
        }
        Log.error("store failure", e);
        return ProblemResponses.of(
                Problem.of(500, "store-failure", "Store failure", "The tool store refused the request."));
    }
}
