package dev.devloop.provider.adapters.in.rest;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemResponses;
import dev.devloop.provider.ports.in.GatewayRefusal;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * The REST edge of the use cases' refusals: each {@link GatewayRefusal.Reason} is one status, the slug the problem
 * {@code type}, the field the problem's {@code field} and its one {@code errors[]} entry. {@link OpenAiErrorFilter}
 * rewrites the body into OpenAI's error shape on the OpenAI-compatible routes.
 */
@Provider
public class GatewayRefusalMapper implements ExceptionMapper<GatewayRefusal> {

    @Override
    public Response toResponse(GatewayRefusal refusal) {
        return ProblemResponses.of(problem(refusal));
    }

    /** The HTTP status of a refusal. */
    public static int status(GatewayRefusal.Reason reason) {
        return switch (reason) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case BUDGET_EXCEEDED -> 429;
            case UNAVAILABLE -> 503;
        };
    }

    /** The problem+json body of a refusal. */
    public static Problem problem(GatewayRefusal refusal) {
        String field = refusal.field();
        return new Problem(
                Problem.TYPE_BASE + refusal.slug(),
                refusal.title(),
                status(refusal.reason()),
                refusal.detail(),
                null,
                field,
                field == null ? null : List.of(new Problem.FieldError(field, refusal.detail())));
    }
}
