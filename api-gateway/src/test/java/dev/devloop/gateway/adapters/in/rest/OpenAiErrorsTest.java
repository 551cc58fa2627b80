package dev.devloop.gateway.adapters.in.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which routes speak OpenAI's error shape, and how a problem+json becomes one. */
class OpenAiErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onlyTheOpenAiCompatibleRoutesUnderAnyVersionPrefix() {
        assertThat(OpenAiErrors.isOpenAiRoute("/api/v1/chat/completions")).isTrue();
        assertThat(OpenAiErrors.isOpenAiRoute("/api/v1/models")).isTrue();
        assertThat(OpenAiErrors.isOpenAiRoute("/api/v0/models")).isTrue();
        assertThat(OpenAiErrors.isOpenAiRoute("/api/chat/completions")).isTrue();
        assertThat(OpenAiErrors.isOpenAiRoute("/api/v1/generate")).isFalse();
        assertThat(OpenAiErrors.isOpenAiRoute("/api/v1/providers")).isFalse();
        assertThat(OpenAiErrors.isOpenAiRoute("/api/v1/models/x")).isFalse();
        assertThat(OpenAiErrors.isOpenAiRoute(null)).isFalse();
    }

    @Test
    void aProblemKeepsItsMessageFieldAndSlug() throws Exception {
        byte[] problem = ("{\"type\":\"https://devloop.dev/problems/invalid-request\",\"title\":\"Invalid request\","
                        + "\"status\":400,\"detail\":\"limit must be a whole number\",\"field\":\"limit\"}")
                .getBytes(StandardCharsets.UTF_8);
        JsonNode error = JSON.readTree(OpenAiErrors.fromProblem(400, problem)).path("error");
        assertThat(error.path("message").asText()).isEqualTo("limit must be a whole number");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asText()).isEqualTo("limit");
        assertThat(error.path("code").asText()).isEqualTo("invalid_request");
    }

    @Test
    void typesAndCodesFollowTheStatus() throws Exception {
        assertThat(OpenAiErrors.type(401)).isEqualTo("authentication_error");
        assertThat(OpenAiErrors.code(401, "unauthorized")).isEqualTo("invalid_api_key");
        assertThat(OpenAiErrors.type(403)).isEqualTo("permission_error");
        assertThat(OpenAiErrors.type(429)).isEqualTo("rate_limit_error");
        assertThat(OpenAiErrors.code(429, "rate-limited")).isEqualTo("rate_limit_exceeded");
        assertThat(OpenAiErrors.type(413)).isEqualTo("invalid_request_error");
        assertThat(OpenAiErrors.type(503)).isEqualTo("api_error");
        assertThat(OpenAiErrors.code(503, "provider-gateway-unavailable")).isEqualTo("provider_gateway_unavailable");
        JsonNode unreadable = JSON.readTree(OpenAiErrors.fromProblem(502, "<html>".getBytes(StandardCharsets.UTF_8)));
        assertThat(unreadable.path("error").path("type").asText()).isEqualTo("api_error");
        assertThat(unreadable.path("error").path("message").asText()).isEqualTo("HTTP 502");
        assertThat(unreadable.path("error").has("param")).isTrue();
    }
}
