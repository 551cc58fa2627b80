package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemResponses;
import dev.devloop.gateway.ports.in.GatewayRefusal;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The REST edge of the use cases' refusals: each {@link GatewayRefusal.Reason} is one status, the refusal's slug
 * the problem {@code type}, its field the problem's {@code field}.
 */
@Provider
public class GatewayRefusalMapper implements ExceptionMapper<GatewayRefusal> {

    @Override
    public Response toResponse(GatewayRefusal e) {
        return ProblemResponses.of(problem(e));
    }

    /** The HTTP status of a refusal. */
    public static int status(GatewayRefusal.Reason reason) {
        return switch (reason) {
            case INVALID -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNPROCESSABLE -> 422;
            case TOO_MANY -> 429;
            case UNAVAILABLE -> 503;
        };
    }

    /** The problem+json body of a refusal; an invalid field is also its one {@code errors[]} entry. */
    public static Problem problem(GatewayRefusal e) {
        if (GatewayRefusal.INVALID_REQUEST.equals(e.slug()) && e.field() != null) {
            return Problem.invalidField(e.field(), e.detail());
        }
        return new Problem(
                Problem.TYPE_BASE + e.slug(), e.title(), status(e.reason()), e.detail(), null, e.field(), null);
    }
}
