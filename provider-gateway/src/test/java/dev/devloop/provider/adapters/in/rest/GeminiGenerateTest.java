package dev.devloop.provider.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static dev.devloop.provider.adapters.in.rest.TestHttp.JSON;
import static dev.devloop.provider.adapters.in.rest.TestHttp.generate;
import static dev.devloop.provider.adapters.in.rest.TestHttp.streamedChat;
import static dev.devloop.provider.adapters.in.rest.TestHttp.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.devloop.provider.support.GeminiWire;
import dev.devloop.provider.support.MultiProviderStub;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Google Gemini through {@code /v1/generate} and {@code /v1/chat/completions}, WireMock speaking the Gemini API. */
@QuarkusTest
@WithTestResource(MultiProviderStub.class)
class GeminiGenerateTest {

    private static String model() {
        return TestHttp.unique("gemini-test");
    }

    private static String request(String model, String text) {
        return """
        {"provider":"gemini","model":"%s","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"%s"}],
         "options":{"temperature":0.4,"maxTokens":80}}""".formatted(model, text);
    }

    @Test
    void plainTextInGenerateContentFormat() throws Exception {
        String model = model();
        GeminiWire.json(model, 200, GeminiWire.response(model, "[{\"text\":\"Hello from Gemini\"}]", "STOP", 11, 4));
        generate(tenant(), request(model, "hi"))
                .then()
                .statusCode(200)
                .body("text", equalTo("Hello from Gemini"))
                .body("provider", equalTo("gemini"))
                .body("finishReason", equalTo("stop"))
                .body("usage.inputTokens", equalTo(11))
                .body("usage.outputTokens", equalTo(4))
                .body("usage.totalTokens", equalTo(15));
        LoggedRequest raw = GeminiWire.sent(model).get(0);
        assertThat(raw.getHeader("x-goog-api-key")).isEqualTo(MultiProviderStub.GEMINI_KEY);
        JsonNode body = JSON.readTree(raw.getBodyAsString());
        assertThat(body.path("systemInstruction").toString()).contains("be brief");
        assertThat(body.path("contents")).hasSize(1);
        assertThat(body.path("contents").get(0).path("role").asText()).isEqualTo("user");
        assertThat(body.path("contents")
                        .get(0)
                        .path("parts")
                        .get(0)
                        .path("text")
                        .asText())
                .isEqualTo("hi");
        assertThat(body.path("generationConfig").path("temperature").asDouble()).isEqualTo(0.4);
        assertThat(body.path("generationConfig").path("maxOutputTokens").asInt())
                .isEqualTo(80);
    }

    @Test
    void functionCallsSingleAndParallelWithDeclarationsSent() throws Exception {
        String model = model();
        GeminiWire.json(model, 200, GeminiWire.response(model, """
        [{"functionCall":{"name":"read_metrics","args":{"service":"a"}}},
         {"functionCall":{"name":"read_metrics","args":{"service":"b","window":{"minutes":5}}}}]""", "STOP", 30, 10));
        generate(tenant(), """
        {"provider":"gemini","model":"%s","messages":[{"role":"user","content":"check a and b"}],
         "tools":[{"name":"read_metrics","description":"Read metrics","parameters":{"type":"object",
           "properties":{"service":{"type":"string"},"window":{"type":"object","properties":{"minutes":{"type":"integer"}}}},
           "required":["service"]}}]}""".formatted(model))
                .then()
                .statusCode(200)
                .body("finishReason", equalTo("tool_calls"))
                .body("toolCalls.size()", equalTo(2))
                .body("toolCalls[0].name", equalTo("read_metrics"))
                .body("toolCalls[0].arguments.service", equalTo("a"))
                .body("toolCalls[1].arguments.window.minutes", equalTo(5));
        JsonNode decl = JSON.readTree(GeminiWire.sent(model).get(0).getBodyAsString())
                .path("tools")
                .get(0)
                .path("functionDeclarations")
                .get(0);
        assertThat(decl.path("name").asText()).isEqualTo("read_metrics");
        assertThat(decl.path("description").asText()).isEqualTo("Read metrics");
        assertThat(decl.path("parameters").path("properties").has("service")).isTrue();
        assertThat(decl.path("parameters").path("required").toString()).isEqualTo("[\"service\"]");
    }

    @Test
    void singleFunctionCallAndFunctionResponseRoundTrip() throws Exception {
        String model = model();
        GeminiWire.json(
                model,
                200,
                GeminiWire.response(
                        model, "[{\"functionCall\":{\"name\":\"lookup\",\"args\":{\"q\":\"svc-g\"}}}]", "STOP", 20, 5));
        generate(tenant(), """
        {"provider":"gemini","model":"%s","messages":[{"role":"user","content":"find z then svc-g"},
          {"role":"assistant","toolCalls":[{"id":"call_0","name":"lookup","arguments":{"q":"z"}}]},
          {"role":"tool","toolCallId":"call_0","content":"z found"}],
         "tools":[{"name":"lookup","parameters":{"type":"object","properties":{"q":{"type":"string"}}}}]}""".formatted(model))
                .then()
                .statusCode(200)
                .body("toolCalls.size()", equalTo(1))
                .body("toolCalls[0].id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()))
                .body("toolCalls[0].arguments.q", equalTo("svc-g"));
        JsonNode contents =
                JSON.readTree(GeminiWire.sent(model).get(0).getBodyAsString()).path("contents");
        assertThat(contents).hasSize(3);
        assertThat(contents.get(1).path("role").asText()).isEqualTo("model");
        assertThat(contents.get(1).toString()).contains("functionCall").contains("lookup");
        assertThat(contents.get(2).toString()).contains("functionResponse").contains("z found");
    }

    @Test
    void streamsTextFromStreamGenerateContent() throws Exception {
        String model = model();
        GeminiWire.sse(
                model,
                List.of(
                        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":6,\"totalTokenCount\":6},\"modelVersion\":\""
                                + model + "\"}",
                        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lo G\"}],\"role\":\"model\"},\"index\":0}],\"modelVersion\":\""
                                + model + "\"}",
                        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"emini\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":6,\"candidatesTokenCount\":4,\"totalTokenCount\":10},\"modelVersion\":\""
                                + model + "\"}"));
        String sse = streamedChat(tenant(), """
        {"model":"gemini/%s","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}
        """.formatted(model));
        TestHttp.Streamed s = TestHttp.assemble(sse);
        assertThat(s.text()).isEqualTo("Hello Gemini");
        assertThat(s.finish()).isEqualTo("stop");
        assertThat(s.usage().path("total_tokens").asInt()).isEqualTo(10);
    }

    @Test
    void streamsAFunctionCall() throws Exception {
        String model = model();
        GeminiWire.sse(
                model,
                List.of(
                        "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"lookup\",\"args\":{\"q\":\"svc-s\"}}}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":3,\"totalTokenCount\":12}}"));
        TestHttp.Streamed s = TestHttp.streamedLookup("gemini/" + model);
        assertThat(s.finish()).isEqualTo("tool_calls");
        assertThat(s.toolCalls()).hasSize(1);
        assertThat(s.toolArgument("q")).isEqualTo("svc-s");
    }

    @Test
    void errorsAreClassified() {
        String unauthorized = model();
        GeminiWire.json(
                unauthorized,
                403,
                GeminiWire.error(403, "PERMISSION_DENIED", "API key not valid. Please pass a valid API key."));
        String body = generate(tenant(), request(unauthorized, "hi"))
                .then()
                .statusCode(502)
                .body("type", equalTo("https://devloop.dev/problems/provider-credentials-rejected"))
                .body("detail", containsString("DEVLOOP_GEMINI_API_KEY"))
                .extract()
                .asString();
        assertThat(body).doesNotContain(MultiProviderStub.GEMINI_KEY);

        String limited = model();
        GeminiWire.respond(
                limited,
                aResponse()
                        .withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Retry-After", "30")
                        .withBody(GeminiWire.error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted")));
        generate(tenant(), request(limited, "hi"))
                .then()
                .statusCode(429)
                .header("Retry-After", "30")
                .body("detail", containsString("Resource has been exhausted"));
        assertThat(GeminiWire.sent(limited)).hasSize(1);

        String failing = model();
        GeminiWire.json(failing, 500, GeminiWire.error(500, "INTERNAL", "An internal error has occurred"));
        generate(tenant(), request(failing, "hi"))
                .then()
                .statusCode(502)
                .body("type", equalTo("https://devloop.dev/problems/provider-error"));
        assertThat(GeminiWire.sent(failing)).hasSize(3);

        String malformed = model();
        GeminiWire.json(malformed, 200, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x");
        generate(tenant(), request(malformed, "hi"))
                .then()
                .statusCode(502)
                .body("type", equalTo("https://devloop.dev/problems/provider-malformed-response"));

        String unknown = model();
        GeminiWire.json(
                unknown, 404, GeminiWire.error(404, "NOT_FOUND", "models/x is not found for API version v1beta"));
        generate(tenant(), request(unknown, "hi"))
                .then()
                .statusCode(502)
                .body("type", equalTo("https://devloop.dev/problems/provider-rejected-request"));
        assertThat(GeminiWire.sent(unknown)).hasSize(1);
    }
}
