package dev.devloop.gateway.ports.in;

/**
 * A use case's refusal: why ({@link Reason}), a stable slug and title, the detail and the request field it
 * concerns. It carries no HTTP status: the REST edge maps it to problem+json
 * ({@code adapters.in.rest.GatewayRefusalMapper}), the WebSocket edge to a close reason.
 */
public class GatewayRefusal extends RuntimeException {
    /** Why the request was refused; the REST edge turns each into one status. */
    public enum Reason {
        /** the request is malformed (REST 400) */
        INVALID,
        /** the request is not signed or authenticated as it must be (401) */
        UNAUTHORIZED,
        /** the caller may not do this (403) */
        FORBIDDEN,
        /** nothing of that name for this tenant (404) */
        NOT_FOUND,
        /** it collides with existing state (409) */
        CONFLICT,
        /** the body is larger than accepted (413) */
        TOO_LARGE,
        /** well-formed but contradicting earlier requests (422) */
        UNPROCESSABLE,
        /** a quota ran out (429) */
        TOO_MANY,
        /** a dependency the use case needs did not answer (503) */
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

    /** The body is larger than {@code detail} says is accepted. */
    public static GatewayRefusal tooLarge(String detail) {
        return new GatewayRefusal(Reason.TOO_LARGE, "payload-too-large", "Payload too large", detail, "body");
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
