package dev.devloop.provider.adapters.in.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Which paths answer OpenAI's error shape, and how statuses and problem slugs map to its {@code type} and {@code code}. */
class OpenAiErrorsTest {

    @Test
    void openAiPathsAreTheV1RoutesThatAreNotTheGatewaysOwn() {
        assertThat(OpenAiErrors.openAiPath("/v1/chat/completions")).isTrue();
        assertThat(OpenAiErrors.openAiPath("/v1/embeddings")).isTrue();
        assertThat(OpenAiErrors.openAiPath("/v1/models")).isTrue();
        assertThat(OpenAiErrors.openAiPath("/v1/models/vllm/meta-llama/Llama-3"))
                .isTrue();
        assertThat(OpenAiErrors.openAiPath("/v1/responses")).isTrue();
        for (String internal : new String[] {
            "/v1/generate",
            "/v1/generate/context",
            "/v1/validate",
            "/v1/cache",
            "/v1/settings/response-cache-ttl-seconds",
            "/v1/usage",
            "/v1/providers",
            "/safety/settings",
            "/q/health",
            "/v1x"
        }) {
            assertThat(OpenAiErrors.openAiPath(internal)).as(internal).isFalse();
        }
    }

    @Test
    void statusesAndSlugsMapToOpenAisTypesAndCodes() {
        assertThat(error(400, "invalid-request", "messages").path("type").asText())
                .isEqualTo("invalid_request_error");
        assertThat(error(400, "invalid-request", "messages").path("param").asText())
                .isEqualTo("messages");
        assertThat(error(400, "model-not-found", "model").path("code").asText()).isEqualTo("model_not_found");
        assertThat(error(401, "unauthorized", null).path("type").asText()).isEqualTo("authentication_error");
        assertThat(error(403, "forbidden", null).path("type").asText()).isEqualTo("permission_error");
        assertThat(error(404, null, null).path("code").asText()).isEqualTo("not_found");
        assertThat(error(413, null, null).path("code").asText()).isEqualTo("request_too_large");
        JsonNode budget = error(429, "budget-exceeded", null);
        assertThat(budget.path("type").asText()).isEqualTo("insufficient_quota");
        assertThat(budget.path("code").asText()).isEqualTo("insufficient_quota");
        JsonNode limited = error(429, "provider-rate-limited", null);
        assertThat(limited.path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(limited.path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(error(502, "provider-unreachable", null).path("type").asText())
                .isEqualTo("upstream_error");
        assertThat(error(503, "provider-circuit-open", null).path("type").asText())
                .isEqualTo("api_error");
        assertThat(error(503, "provider-circuit-open", null).path("code").asText())
                .isEqualTo("provider_circuit_open");
        assertThat(error(500, "internal-error", null).path("type").asText()).isEqualTo("api_error");
        JsonNode nulls = error(400, null, null);
        assertThat(nulls.has("param")).isTrue();
        assertThat(nulls.get("param").isNull()).isTrue();
        assertThat(nulls.get("code").isNull()).isTrue();
    }

    @Test
    void aProblemBodyBecomesOpenAisShapeKeepingDetailAndField() throws Exception {
        JsonNode problem =
                OpenAiWire.JSON.readTree("{\"type\":\"https://devloop.dev/problems/prompt-injection-detected\","
                        + "\"title\":\"Prompt injection detected\",\"status\":400,\"detail\":\"messages[1].content scored 0.90\","
                        + "\"field\":\"messages[1].content\"}");
        ObjectNode e = (ObjectNode) OpenAiErrors.fromProblem(problem, 400).path("error");
        assertThat(e.path("message").asText()).isEqualTo("messages[1].content scored 0.90");
        assertThat(e.path("param").asText()).isEqualTo("messages[1].content");
        assertThat(e.path("code").asText()).isEqualTo("prompt_injection_detected");
        assertThat(e.path("type").asText()).isEqualTo("invalid_request_error");
    }

    private static JsonNode error(int status, String slug, String param) {
        return OpenAiErrors.error(status, slug, "m", param).path("error");
    }
}
