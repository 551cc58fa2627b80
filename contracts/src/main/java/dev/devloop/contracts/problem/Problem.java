package dev.devloop.contracts.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * An RFC 9457 problem detail. {@code type} is stable and documented; {@code field} names the
 * offending request field when there is one.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type, String title, int status, String detail, String instance, String field, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://devloop.dev/problems/";

    /** One invalid field, for problems that list several. */
    @RegisterForReflection
    public record FieldError(String field, String message) {}

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, null, null, null);
    }

    public static Problem invalidField(String field, String detail) {
        return new Problem(
                TYPE_BASE + "invalid-request",
                "Invalid request",
                400,
                detail,
                null,
                field,
                List.of(new FieldError(field, detail)));
    }

    public Problem withInstance(String instance) {
        return new Problem(type, title, status, detail, instance, field, errors);
    }
}
