package dev.devloop.agent.adapters.in.rest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.devloop.contracts.problem.ProblemException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The optional bodies of the decisions on a proposal and of a run's cancel. They may be absent or empty (a client
 * posts nothing), so the resources take the text and read it here, strictly: a field of another JSON type is a 400
 * naming it, not a value coerced to a string. Each has one string field, the one a refusal names.
 */
final class DecisionBodies {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Body of {@code POST /approvals/{id}/approve}. */
    @RegisterForReflection
    @Schema(name = "ApproveBody", description = "An approval, optionally with a note for the record")
    record Approve(
            @Schema(description = "why it was approved", maxLength = 2000)
            String note) {}

    /** Body of {@code POST /approvals/{id}/reject}. */
    @RegisterForReflection
    @Schema(name = "RejectBody", description = "A rejection; the model reads the reason as the call's result")
    record Reject(
            @Schema(description = "why it was rejected", required = true, maxLength = 2000)
            String reason) {}

    /** Body of {@code POST /runs/{id}/cancel}. */
    @RegisterForReflection
    @Schema(name = "CancelRunBody", description = "A cancel, optionally with the reason the run records")
    record Cancel(
            @Schema(description = "why the run is cancelled")
            String reason) {}

    /**
     * {@code body} read as {@code type}; null when there is none. {@code field} is the one a refusal names (the
     * body's only field).
     */
    static <T> T read(String body, Class<T> type, String field) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode node;
        try {
            node = STRICT.readTree(body);
        } catch (java.io.IOException e) {
            throw ProblemException.badRequest(field, "the body is not valid JSON");
        }
        JsonNode value = node == null ? null : node.get(field);
        // its one field is a string: a number or an object is refused, not coerced to text
        if (node == null || !node.isObject() || (value != null && !value.isNull() && !value.isTextual())) {
            throw notAnObject(field);
        }
        try {
            return STRICT.treeToValue(node, type);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw notAnObject(field);
        }
    }

    private static ProblemException notAnObject(String field) {
        return ProblemException.badRequest(
                field, "the body must be a JSON object with an optional '" + field + "' string");
    }

    private DecisionBodies() {}
}
