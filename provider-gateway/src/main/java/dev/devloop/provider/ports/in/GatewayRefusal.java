package dev.devloop.provider.ports.in;

/**
 * A use case's refusal: why ({@link Reason}), a stable slug and title, the detail and the request field it concerns.
 * It carries no HTTP status: the REST edge maps it to problem+json ({@code adapters.in.rest.GatewayRefusalMapper}),
 * and on the OpenAI-compatible routes on to OpenAI's error shape.
 */
public class GatewayRefusal extends RuntimeException {
    /** Why the request was refused; the REST edge turns each into one status. */
    public enum Reason {
        /** the request is malformed or names something unknown (REST 400) */
        INVALID,
        /** nothing of that name (404) */
        NOT_FOUND,
        /** the tenant's budget is spent (429) */
        BUDGET_EXCEEDED,
        /** a store the use case needs did not answer (503) */
        UNAVAILABLE
    }

    /** Slug of {@link #invalid(String, String)}. */
    public static final String INVALID_REQUEST = "invalid-request";

    private final Reason reason;
    private final String slug;
    private final String title;
    private final String field;

    public GatewayRefusal(Reason reason, String slug, String title, String detail, String field) {
        super(detail);
        this.reason = reason;
        this.slug = slug;
        this.title = title;
        this.field = field;
    }

    /** {@code field} is malformed or missing. */
    public static GatewayRefusal invalid(String field, String detail) {
        return new GatewayRefusal(Reason.INVALID, INVALID_REQUEST, "Invalid request", detail, field);
    }

    /** Nothing named so: {@code slug} says what was looked for. */
    public static GatewayRefusal notFound(String slug, String detail) {
        return new GatewayRefusal(Reason.NOT_FOUND, slug, "Not found", detail, null);
    }

    /** A store the use case needs did not answer. */
    public static GatewayRefusal unavailable(String slug, String detail) {
        return new GatewayRefusal(Reason.UNAVAILABLE, slug, "Dependency unavailable", detail, null);
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
}
