package dev.devloop.gateway.adapters.in.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.problem.Problem;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The error shape of the OpenAI-compatible routes ({@code /api/v1/chat/completions}, {@code /api/v1/models}):
 * {@code {"error":{"message","type","param","code"}}}, so the official SDKs show the reason. Every other route
 * answers RFC 9457 problem+json; a problem meant for an OpenAI route is turned into this shape here.
 */
final class OpenAiErrors {
    /** The OpenAI-compatible routes, under any served API version prefix. */
    private static final Pattern ROUTES = Pattern.compile("^/api(?:/v[^/]{1,16})?/(?:chat/completions|models)/?$");

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiErrors() {}

    static boolean isOpenAiRoute(String path) {
        return path != null && ROUTES.matcher(path).matches();
    }

    /** OpenAI's error {@code type} for an HTTP status. */
    static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    /** The {@code code}: OpenAI's well-known ones where they exist, else the problem type's slug in snake case. */
    static String code(int status, String slug) {
        if (status == 401) {
            return "invalid_api_key";
        }
        if (status == 429) {
            return "rate_limit_exceeded";
        }
        return slug == null || slug.isBlank() ? null : slug.replace('-', '_');
    }

    /** {@code {"error":{…}}} for the given parts. */
    static byte[] body(int status, String slug, String message, String param) {
        ObjectNode error = JSON.createObjectNode();
        error.put("message", message == null ? "HTTP " + status : message);
        error.put("type", type(status));
        error.put("param", param);
        error.put("code", code(status, slug));
        ObjectNode root = JSON.createObjectNode();
        root.set("error", error);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The OpenAI form of a problem+json body (its {@code detail}, {@code field} and {@code type} slug). */
    static byte[] fromProblem(int status, byte[] problem) {
        String slug = null;
        String message = null;
        String param = null;
        try {
            JsonNode node = JSON.readTree(problem);
            if (node != null && node.isObject()) {
                String type = node.path("type").asText("");
                slug = type.startsWith(Problem.TYPE_BASE) ? type.substring(Problem.TYPE_BASE.length()) : null;
                message = node.hasNonNull("detail")
                        ? node.get("detail").asText()
                        : node.path("title").asText(null);
                param = node.hasNonNull("field") ? node.get("field").asText() : null;
            }
        } catch (IOException unreadable) {
            message = null;
        }
        return body(status, slug, message, param);
    }
}
