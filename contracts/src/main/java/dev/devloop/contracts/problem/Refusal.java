package dev.devloop.contracts.problem;

/**
 * A use case's refusal: why ({@link Reason}), a stable slug and title, the detail and the request field it concerns.
 * Plain Java, so application code throws it without knowing HTTP; the REST edge answers it as problem+json
 * ({@link ProblemExceptionMappers.OfRefusal}), other edges (WebSocket close, OpenAI error shape) from the same fields.
 */
public class Refusal extends RuntimeException {
    /** Why a request is refused, and the HTTP status the REST edge gives it. */
    public enum Reason {
        /** the request is malformed, or names something it may not */
        INVALID(400),
        /** not authenticated as it must be */
        UNAUTHORIZED(401),
        /** the caller may not do this */
        FORBIDDEN(403),
        /** nothing of that name (for this tenant) */
        NOT_FOUND(404),
        /** it collides with existing state */
        CONFLICT(409),
        /** the body is larger than accepted */
        TOO_LARGE(413),
        /** well-formed but contradicting earlier requests */
        UNPROCESSABLE(422),
        /** a quota or budget ran out */
        TOO_MANY(429),
        /** a dependency the use case needs did not answer */
        UNAVAILABLE(503);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Slug of {@link #invalid(String, String)}. */
    public static final String INVALID_REQUEST = "invalid-request";

    private final Reason reason;
    private final String slug;
    private final String title;
    private final String field;

    public Refusal(Reason reason, String slug, String title, String detail, String field) {
        super(detail);
        this.reason = reason;
        this.slug = slug;
        this.title = title;
        this.field = field;
    }

    /** {@code field} is malformed or missing. */
    public static Refusal invalid(String field, String detail) {
        return new Refusal(Reason.INVALID, INVALID_REQUEST, "Invalid request", detail, field);
    }

    /** The body is larger than {@code detail} says is accepted. */
    public static Refusal tooLarge(String detail) {
        return new Refusal(Reason.TOO_LARGE, "payload-too-large", "Payload too large", detail, "body");
    }

    public Reason reason() {
        return reason;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    /** The request field concerned, or null. */
    public String field() {
        return field;
    }

    public String detail() {
        return getMessage();
    }

    /** The problem+json body: an invalid field is also its one {@code errors[]} entry. */
    public Problem problem() {
        if (INVALID_REQUEST.equals(slug) && field != null) {
            return Problem.invalidField(field, detail());
        }
        return new Problem(Problem.TYPE_BASE + slug, title, reason.status(), detail(), null, field, null);
    }
}
