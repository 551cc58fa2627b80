package dev.devloop.tools.adapters.in.rest;

import dev.devloop.contracts.problem.ProblemResponses;
import dev.devloop.tools.application.DependencyUnavailable;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * An invocation that met a dependency outage: 503 problem+json with {@code Retry-After}, so the caller retries with
 * the same idempotency key. More specific than {@link ToolRefusalMapper}, so JAX-RS picks this one.
 */
@Provider
public class DependencyUnavailableMapper implements ExceptionMapper<DependencyUnavailable> {
    @Override
    public Response toResponse(DependencyUnavailable e) {
        return Response.fromResponse(ProblemResponses.of(ToolRefusalMapper.problem(e)))
                .header("Retry-After", Long.toString(e.retryAfterSeconds()))
                .build();
    }
}
