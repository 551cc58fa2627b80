package dev.devloop.knowledge.adapters.in.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemResponses;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.out.DependencyUnavailableException;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * The REST edge of the core's failures: a use case's {@link KnowledgeRefusal} is one status per reason, its slug the
 * problem {@code type}, its field the problem's {@code field} and {@code errors[]}, its extensions extra members; a
 * store or provider-gateway outage is 503.
 */
public final class KnowledgeProblems {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNAVAILABLE = "Dependency unavailable";

    private KnowledgeProblems() {}

    /** The HTTP status of a refusal. */
    public static int status(KnowledgeRefusal.Reason reason) {
        return switch (reason) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNPROCESSABLE -> 422;
        };
    }

    /** The problem+json body of a refusal (without its extension members). */
    public static Problem problem(KnowledgeRefusal e) {
        return new Problem(
                Problem.TYPE_BASE + e.slug(),
                e.title(),
                status(e.reason()),
                e.detail(),
                null,
                e.field(),
                e.field() == null ? null : List.of(new Problem.FieldError(e.field(), e.detail())));
    }

    public static Problem problem(TierUnavailableException e) {
        return Problem.of(503, TierUnavailableException.SLUG, UNAVAILABLE, e.detail());
    }

    public static Problem problem(DependencyUnavailableException e) {
        return Problem.of(503, e.slug(), UNAVAILABLE, e.detail());
    }

    /** Refusals; extension members ({@code cycle}, {@code from}, …) are added to the RFC 9457 body. */
    @Provider
    public static class OfRefusal implements ExceptionMapper<KnowledgeRefusal> {
        @Override
        public Response toResponse(KnowledgeRefusal e) {
            Problem problem = problem(e);
            if (e.extensions().isEmpty()) {
                return ProblemResponses.of(problem);
            }
            ObjectNode body = JSON.valueToTree(problem);
            e.extensions().forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
            try {
                return Response.status(problem.status())
                        .type(Problem.MEDIA_TYPE)
                        .entity(JSON.writeValueAsString(body))
                        .build();
            } catch (JsonProcessingException ex) {
                return ProblemResponses.of(problem);
            }
        }
    }

    @Provider
    public static class OfTierUnavailable implements ExceptionMapper<TierUnavailableException> {
        @Override
        public Response toResponse(TierUnavailableException e) {
            return ProblemResponses.of(problem(e));
        }
    }

    @Provider
    public static class OfDependencyUnavailable implements ExceptionMapper<DependencyUnavailableException> {
        @Override
        public Response toResponse(DependencyUnavailableException e) {
            return ProblemResponses.of(problem(e));
        }
    }
}
