package dev.devloop.provider.adapters.in.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.problem.Problem;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * OpenAI's error shape, {@code {"error":{"message","type","param","code"}}}, for the OpenAI-compatible routes
 * ({@code /v1/chat/completions}, {@code /v1/embeddings}, {@code /v1/models}, and any other {@code /v1/*} path
 * that is not one of the gateway's own: {@code /v1/generate}, {@code /v1/validate}, {@code /v1/cache},
 * {@code /v1/settings}, {@code /v1/usage}, {@code /v1/providers}, which keep problem+json). The official
 * SDKs read {@code error.message} and {@code error.code}; {@code type} follows OpenAI's families.
 */
public final class OpenAiErrors {
    private static final List<String> INTERNAL =
            List.of("/v1/generate", "/v1/validate", "/v1/cache", "/v1/settings", "/v1/usage", "/v1/providers");

    private OpenAiErrors() {}

    /** OpenAI's error body, as the OpenAPI document describes it. */
    @RegisterForReflection
    @Schema(name = SharedRefusals.OPENAI_ERROR)
    public record Body(Detail error) {
        /** {@code type} is OpenAI's error family, {@code code} OpenAI's code or the Devloop problem slug. */
        @RegisterForReflection
        public record Detail(String message, String type, String param, String code) {}
    }

    /** True for a path whose errors answer in OpenAI's shape. */
    public static boolean openAiPath(String path) {
        if (path == null) {
            return false;
        }
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        if (!p.equals("/v1") && !p.startsWith("/v1/")) {
            return false;
        }
        for (String internal : INTERNAL) {
            if (p.equals(internal) || p.startsWith(internal + "/")) {
                return false;
            }
        }
        return true;
    }

    /** The OpenAI error object for a Devloop problem+json body. */
    public static ObjectNode fromProblem(JsonNode problem, int status) {
        String type = problem.path("type").asText("");
        String slug = type.startsWith(Problem.TYPE_BASE) ? type.substring(Problem.TYPE_BASE.length()) : type;
        String message = problem.hasNonNull("detail")
                ? problem.get("detail").asText()
                : problem.path("title").asText("HTTP " + status);
        String param = problem.hasNonNull("field") ? problem.get("field").asText() : null;
        return error(status, slug, message, param);
    }

    /** The OpenAI error object for a status, a Devloop problem slug ({@code model-not-found}), message and field. */
    public static ObjectNode error(int status, String slug, String message, String param) {
        ObjectNode root = OpenAiWire.JSON.createObjectNode();
        ObjectNode e = root.putObject("error");
        e.put("message", message);
        e.put("type", type(status, slug));
        if (param == null) {
            e.putNull("param");
        } else {
            e.put("param", param);
        }
        String code = code(status, slug);
        if (code == null) {
            e.putNull("code");
        } else {
            e.put("code", code);
        }
        return root;
    }

    /** OpenAI's error families: invalid_request_error, authentication_error, permission_error, … */
    static String type(int status, String slug) {
        if ("budget-exceeded".equals(slug)) {
            return "insufficient_quota";
        }
        if (status == 401) {
            return "authentication_error";
        }
        if (status == 403) {
            return "permission_error";
        }
        if (status == 429) {
            return "rate_limit_error";
        }
        if (status >= 500) {
            return slug != null && slug.startsWith("provider-") && status == 502 ? "upstream_error" : "api_error";
        }
        return "invalid_request_error";
    }

    /** The machine-readable code: OpenAI's where one exists, else the Devloop problem slug in snake case. */
    static String code(int status, String slug) {
        if ("budget-exceeded".equals(slug)) {
            return "insufficient_quota";
        }
        if ("provider-rate-limited".equals(slug) || status == 429 && (slug == null || slug.isEmpty())) {
            return "rate_limit_exceeded";
        }
        if (status == 413) {
            return "request_too_large";
        }
        if (status == 404 && (slug == null || slug.isEmpty() || "not-found".equals(slug))) {
            return "not_found";
        }
        if (slug == null || slug.isEmpty()) {
            return null;
        }
        return slug.replace('-', '_').toLowerCase(Locale.ROOT);
    }
}
