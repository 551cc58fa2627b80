package dev.devloop.knowledge.ports.out;

/**
 * Thrown by an outgoing adapter whose remote dependency (provider-gateway) is down or too slow; the REST edge answers
 * 503 problem+json of type {@link #slug()}.
 */
public class DependencyUnavailableException extends RuntimeException {
    private final String slug;

    public DependencyUnavailableException(String slug, String detail, Throwable cause) {
        super(detail, cause);
        this.slug = slug;
    }

    /** The problem type's slug, e.g. {@code provider-unavailable}. */
    public String slug() {
        return slug;
    }

    public String detail() {
        return getMessage();
    }
}
