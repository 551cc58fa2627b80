package dev.devloop.tools.adapters.in.rest;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemResponses;
import dev.devloop.tools.ports.in.ToolRefusal;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The REST edge of the use cases' refusals: each {@link ToolRefusal.Reason} is one status, the refusal's slug the
 * problem {@code type}, its field and violations the problem's {@code field} and {@code errors[]}.
 */
@Provider
public class ToolRefusalMapper implements ExceptionMapper<ToolRefusal> {

    @Override
    public Response toResponse(ToolRefusal e) {
        return ProblemResponses.of(problem(e));
    }

    /** The HTTP status of a refusal. */
    public static int status(ToolRefusal.Reason reason) {
        return switch (reason) {
            case INVALID -> 400;
            case DENIED -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_MANY -> 429;
            case NOT_IMPLEMENTED -> 501;
            case UNREACHABLE -> 502;
            case UNAVAILABLE -> 503;
        };
    }

    /** The problem+json body of a refusal. */
    public static Problem problem(ToolRefusal e) {
        return new Problem(
                Problem.TYPE_BASE + e.slug(),
                e.title(),
                status(e.reason()),
                e.detail(),
                null,
                e.field(),
                e.errors() == null
                        ? null
                        : e.errors().stream()
                                .map(v -> new Problem.FieldError(v.field(), v.message()))
                                .toList());
    }
}
