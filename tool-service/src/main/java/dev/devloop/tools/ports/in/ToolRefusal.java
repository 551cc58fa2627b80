package dev.devloop.tools.ports.in;

import dev.devloop.tools.domain.ArgumentViolation;
import java.util.List;

/**
 * A use case's refusal: what was wrong ({@link Reason}), a stable slug and title, the detail, the request field it
 * concerns and, for invalid arguments, every violation. It carries no HTTP status: the REST edge maps it to
 * problem+json ({@code adapters.in.rest.ToolRefusalMapper}), the MCP edge to a tool error.
 */
public class ToolRefusal extends RuntimeException {
    /** Why the request was refused; the REST edge turns each into one status. */
    public enum Reason {
        /** the request names something malformed (REST 400) */
        INVALID,
        /** a rule forbids it (403) */
        DENIED,
        /** nothing of that name (404) */
        NOT_FOUND,
        /** it collides with existing state (409) */
        CONFLICT,
        /** a quota ran out (429) */
        TOO_MANY,
        /** the service cannot run it (501) */
        NOT_IMPLEMENTED,
        /** a remote server it needs did not answer (502) */
        UNREACHABLE,
        /** a dependency is away for now and nothing was recorded: retry the same request later (503) */
        UNAVAILABLE
    }

    /** Slug of {@link #invalid(String, String)}. */
    public static final String INVALID_REQUEST = "invalid-request";

    private final Reason reason;
    private final String slug;
    private final String title;
    private final String field;
    private final transient List<ArgumentViolation> errors;

    public ToolRefusal(
            Reason reason, String slug, String title, String detail, String field, List<ArgumentViolation> errors) {
        super(detail);
        this.reason = reason;
        this.slug = slug;
        this.title = title;
        this.field = field;
        this.errors = errors == null ? null : List.copyOf(errors);
    }

    /** {@code field} is malformed or missing. */
    public static ToolRefusal invalid(String field, String detail) {
        return new ToolRefusal(
                Reason.INVALID,
                INVALID_REQUEST,
                "Invalid request",
                detail,
                field,
                List.of(new ArgumentViolation(field, detail)));
    }

    /** Nothing named so: {@code slug} says what was looked for. */
    public static ToolRefusal notFound(String slug, String title, String detail) {
        return new ToolRefusal(Reason.NOT_FOUND, slug, title, detail, null, null);
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

    /** The individual violations (invalid requests and arguments), or null. */
    public List<ArgumentViolation> errors() {
        return errors;
    }

    public String detail() {
        return getMessage();
    }
}
