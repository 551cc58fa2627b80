package dev.devloop.gateway.adapters.in.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/**
 * The body of {@code PUT /api/v1/admin/model-safety}: a JSON object of exactly {@code piiRedaction} (boolean) and
 * {@code injectionMode} ({@code block}, {@code flag} or {@code off}); anything else is 400 naming the field.
 */
final class SafetySettingsRules {
    static final int MAX_BODY_BYTES = 1024;
    private static final Set<String> MODES = Set.of("block", "flag", "off");

    private SafetySettingsRules() {}

    static void check(ObjectMapper json, byte[] body) {
        if (body == null || body.length == 0) {
            throw malformed(
                    "a JSON object {\"piiRedaction\": bool, \"injectionMode\": \"block\"|\"flag\"|\"off\"} is required");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new ProblemException(new Problem(
                    Problem.TYPE_BASE + "payload-too-large",
                    "Payload too large",
                    413,
                    "the body must be at most " + MAX_BODY_BYTES + " bytes",
                    null,
                    "body",
                    null));
        }
        JsonNode root;
        try (JsonParser parser = json.getFactory().createParser(body)) {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = json.readTree(parser);
        } catch (IOException e) {
            throw malformed("the body is not valid JSON (or repeats a key)");
        }
        if (root == null || !root.isObject()) {
            throw malformed("the body must be a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!"piiRedaction".equals(name) && !"injectionMode".equals(name)) {
                throw ProblemException.badRequest(
                        name.length() > 64 ? name.substring(0, 64) : name,
                        "unknown field; the settings are piiRedaction and injectionMode");
            }
        }
        JsonNode pii = root.get("piiRedaction");
        if (pii == null || !pii.isBoolean()) {
            throw ProblemException.badRequest("piiRedaction", "piiRedaction is required: true or false");
        }
        JsonNode mode = root.get("injectionMode");
        if (mode == null || !mode.isTextual() || !MODES.contains(mode.textValue())) {
            throw ProblemException.badRequest("injectionMode", "injectionMode is required: block, flag or off");
        }
    }

    private static ProblemException malformed(String detail) {
        return new ProblemException(new Problem(
                Problem.TYPE_BASE + "malformed-body", "Malformed request body", 400, detail, null, "body", null));
    }
}
