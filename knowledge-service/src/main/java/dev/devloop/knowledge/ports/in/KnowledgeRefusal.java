package dev.devloop.knowledge.ports.in;

import java.util.Map;

/**
 * A use case's refusal: why ({@link Reason}), a stable slug and title, the detail, the request field it concerns and
 * extension members (a roadmap cycle, the nodes of a conflict). It carries no HTTP status: the REST edge maps it to
 * problem+json ({@code adapters.in.rest.KnowledgeProblems}), the Kafka edge turns {@link Reason#INVALID} into a
 * poison event.
 */
public class KnowledgeRefusal extends RuntimeException {
    /** Why the request was refused; the REST edge turns each into one status. */
    public enum Reason {
        /** the request names something malformed or missing (REST 400) */
        INVALID,
        /** nothing of that name for this tenant (404) */
        NOT_FOUND,
        /** it collides with existing state (409) */
        CONFLICT,
        /** a payload above its size bound (413) */
        TOO_LARGE,
        /** well formed, but too big to compute an answer for (422) */
        UNPROCESSABLE
    }

    /** Slug of {@link #invalid(String, String)}. */
    public static final String INVALID_REQUEST = "invalid-request";

    private final Reason reason;
    private final String slug;
    private final String title;
    private final String field;
    private final transient Map<String, Object> extensions;

    public KnowledgeRefusal(
            Reason reason, String slug, String title, String detail, String field, Map<String, Object> extensions) {
        super(detail);
        this.reason = reason;
        this.slug = slug;
        this.title = title;
        this.field = field;
        this.extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    /** {@code field} is malformed or missing. */
    public static KnowledgeRefusal invalid(String field, String detail) {
        return new KnowledgeRefusal(Reason.INVALID, INVALID_REQUEST, "Invalid request", detail, field, null);
    }

    /** Nothing named so: {@code slug} says what was looked for. */
    public static KnowledgeRefusal notFound(String slug, String detail) {
        return new KnowledgeRefusal(Reason.NOT_FOUND, slug, "Not found", detail, null, null);
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

    public String detail() {
        return getMessage();
    }

    /** The request field concerned, or null. */
    public String field() {
        return field;
    }

    /** Extension members of the problem body, possibly empty. */
    public Map<String, Object> extensions() {
        return extensions;
    }
}
