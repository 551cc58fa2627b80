package dev.devloop.tools.adapters.in.rest;

import dev.devloop.contracts.problem.ProblemResponses;
import dev.devloop.tools.application.QuotaExceeded;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The quota's 429 problem+json with {@code Retry-After} (seconds until the window that ran out ends) and the
 * {@code RateLimit-Limit/Remaining/Reset} and {@code RateLimit-Policy} headers of the IETF rate-limit
 * header draft. More specific than {@link ToolRefusalMapper}, so JAX-RS picks this one.
 */
@Provider
public class QuotaExceededMapper implements ExceptionMapper<QuotaExceeded> {
    @Override
    public Response toResponse(QuotaExceeded e) {
        String retry = Long.toString(e.retryAfterSeconds());
        return Response.fromResponse(ProblemResponses.of(ToolRefusalMapper.problem(e)))
                .header("Retry-After", retry)
                .header("RateLimit-Limit", e.limit())
                .header("RateLimit-Remaining", 0)
                .header("RateLimit-Reset", retry)
                .header("RateLimit-Policy", e.limit() + ";w=" + e.windowSeconds())
                .build();
    }
}
