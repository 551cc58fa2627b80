package dev.devloop.contracts.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/** Every error a Devloop service returns is RFC 9457 problem+json; these mappers make it so. */
public final class ProblemExceptionMappers {

    @Provider
    public static class OfProblem implements ExceptionMapper<ProblemException> {
        @Override
        public Response toResponse(ProblemException e) {
            return ProblemResponses.of(e.problem());
        }
    }

    @Provider
    public static class OfRefusal implements ExceptionMapper<Refusal> {
        @Override
        public Response toResponse(Refusal e) {
            return ProblemResponses.of(e.problem());
        }
    }

    @Provider
    public static class OfConstraintViolation implements ExceptionMapper<ConstraintViolationException> {
        @Override
        public Response toResponse(ConstraintViolationException e) {
            List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                    .map(v -> new Problem.FieldError(leafField(v), v.getMessage()))
                    .sorted((a, b) -> a.field().compareTo(b.field()))
                    .collect(Collectors.toList());
            String first = errors.isEmpty() ? null : errors.get(0).field();
            String detail =
                    errors.stream().map(er -> er.field() + ": " + er.message()).collect(Collectors.joining("; "));
            return ProblemResponses.of(new Problem(
                    Problem.TYPE_BASE + "invalid-request", "Invalid request", 400, detail, null, first, errors));
        }

        /** "create.arg0.name" → "name": clients know their body's fields, not our method names. */
        private static String leafField(ConstraintViolation<?> v) {
            String path = v.getPropertyPath().toString();
            String[] parts = path.split("\\.");
            return parts.length <= 2
                    ? parts[parts.length - 1]
                    : String.join(".", List.of(parts).subList(2, parts.length));
        }
    }

    @Provider
    public static class OfJson implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            String field = null;
            if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
                field = jme.getPath().stream()
                        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining("."));
            }
            String detail = "Malformed JSON body: " + e.getOriginalMessage();
            return ProblemResponses.of(new Problem(
                    Problem.TYPE_BASE + "malformed-body",
                    "Malformed request body",
                    400,
                    detail,
                    null,
                    field == null ? "body" : field,
                    null));
        }
    }

    /**
     * A body of the wrong shape ({@code "ttlSeconds": "soon"}); without this, Quarkus' built-in mapper for
     * the more specific exception would answer plain JSON instead of a problem.
     */
    @Provider
    public static class OfMismatchedInput implements ExceptionMapper<MismatchedInputException> {
        @Override
        public Response toResponse(MismatchedInputException e) {
            return new OfJson().toResponse(e);
        }
    }

    @Provider
    public static class OfWebApplication implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
            Throwable cause = e.getCause();
            if (cause instanceof JsonProcessingException jpe) {
                return new OfJson().toResponse(jpe);
            }
            String title = Response.Status.fromStatusCode(status) == null
                    ? "Error"
                    : Response.Status.fromStatusCode(status).getReasonPhrase();
            String slug = title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
            return ProblemResponses.of(Problem.of(status, slug, title, e.getMessage()));
        }
    }

    @Provider
    public static class OfFaultTolerance
            implements ExceptionMapper<org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException> {
        @Override
        public Response toResponse(org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException e) {
            String reason = e instanceof CircuitBreakerOpenException
                    ? "circuit open"
                    : e instanceof TimeoutException
                            ? "timed out"
                            : e instanceof BulkheadException ? "too many concurrent calls" : "failed";
            return ProblemResponses.of(Problem.of(
                    503, "dependency-unavailable", "Dependency unavailable", "A downstream call " + reason + "."));
        }
    }

    @Provider
    public static class OfUnexpected implements ExceptionMapper<RuntimeException> {
        private static final Logger LOG = Logger.getLogger(OfUnexpected.class);

        @Override
        public Response toResponse(RuntimeException e) {
            LOG.error("Unhandled error", e);
            return ProblemResponses.of(Problem.of(
                    500, "internal-error", "Internal error", "An unexpected error occurred; it has been logged."));
        }
    }

    private ProblemExceptionMappers() {}
}
