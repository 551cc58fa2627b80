package dev.devloop.provider.adapters.in.rest;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemResponses;
import dev.devloop.provider.domain.ProviderFailure;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers a failed provider call with problem+json: 503 not configured or circuit open, 429 rate
 * limited (with the upstream's Retry-After), 502 for every other upstream failure.
 */
@Provider
public class ProviderFailureMapper implements ExceptionMapper<ProviderFailure> {

    @Override
    public Response toResponse(ProviderFailure failure) {
        Response response = ProblemResponses.of(problem(failure));
        if (failure.retryAfter().isPresent()) {
            return Response.fromResponse(response)
                    .header("Retry-After", failure.retryAfter().get())
                    .build();
        }
        return response;
    }

    /** The problem for a failure kind; {@code type} slugs are stable and documented in the README. */
    public static Problem problem(ProviderFailure failure) {
        String detail = failure.getMessage();
        return switch (failure.kind()) {
            case NOT_CONFIGURED -> Problem.of(503, "provider-not-configured", "Provider not configured", detail);
            case CREDENTIALS_REJECTED ->
                Problem.of(502, "provider-credentials-rejected", "Provider rejected credentials", detail);
            case RATE_LIMITED -> Problem.of(429, "provider-rate-limited", "Provider rate limit", detail);
            case UPSTREAM_ERROR -> Problem.of(502, "provider-error", "Provider error", detail);
            case UNREACHABLE -> Problem.of(502, "provider-unreachable", "Provider unreachable", detail);
            case MALFORMED_RESPONSE ->
                Problem.of(502, "provider-malformed-response", "Provider answer malformed", detail);
            case REQUEST_REJECTED ->
                Problem.of(502, "provider-rejected-request", "Provider rejected the request", detail);
            case CIRCUIT_OPEN -> Problem.of(503, "provider-circuit-open", "Provider circuit open", detail);
            case BULKHEAD_FULL -> Problem.of(503, "provider-busy", "Provider busy", detail);
        };
    }
}
