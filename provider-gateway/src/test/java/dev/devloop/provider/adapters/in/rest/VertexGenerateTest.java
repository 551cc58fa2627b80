package dev.devloop.provider.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
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
import dev.devloop.provider.support.InstancesStub;
import dev.devloop.provider.support.VertexWire;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gemini on Vertex AI: WireMock answers Vertex's REST API ({@code /v1/projects/{p}/locations/{l}/publishers/google/models/{m}:generateContent},
 * {@code :streamGenerateContent?alt=sse}) and checks the OAuth bearer token, the absence of a Gemini API key and the body.
 */
@QuarkusTest
@WithTestResource(InstancesStub.class)
class VertexGenerateTest {

    private static String model() {
        return TestHttp.unique("gemini-vertex");
    }

    private static String request(String model, String text) {
        return """
        {"provider":"vertex","model":"%s","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"%s"}],
         "options":{"temperature":0.3,"maxTokens":64}}""".formatted(model, text);
    }

    @Test
    void textOverVertexRestWithBearerToken() throws Exception {
        String model = model();
        VertexWire.json(model, 200, GeminiWire.response(model, "[{\"text\":\"Hello from Vertex\"}]", "STOP", 12, 5));
        generate(tenant(), request(model, "hi"))
                .then()
                .statusCode(200)
                .body("text", equalTo("Hello from Vertex"))
                .body("provider", equalTo("vertex"))
                .body("finishReason", equalTo("stop"))
                .body("usage.inputTokens", equalTo(12))
                .body("usage.outputTokens", equalTo(5));
        LoggedRequest raw = VertexWire.sent(model).get(0);
        assertThat(raw.getHeader("Authorization")).isEqualTo("Bearer " + InstancesStub.VERTEX_TOKEN);
        assertThat(raw.containsHeader("x-goog-api-key")).isFalse();
        JsonNode body = JSON.readTree(raw.getBodyAsString());
        assertThat(body.path("systemInstruction").toString()).contains("be brief");
        assertThat(body.path("contents").get(0).path("role").asText()).isEqualTo("user");
        assertThat(body.path("contents")
                        .get(0)
                        .path("parts")
                        .get(0)
                        .path("text")
                        .asText())
                .isEqualTo("hi");
        assertThat(body.path("generationConfig").path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.path("generationConfig").path("maxOutputTokens").asInt())
                .isEqualTo(64);
        assertThat(body.path("generationConfig").has("thinkingConfig"))
                .as("thinking settings are off")
                .isFalse();
        // the vertex/ prefix routes too
        generate(
                        tenant(),
                        "{\"model\":\"vertex/" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"again\"}]}")
                .then()
                .statusCode(200)
                .body("provider", equalTo("vertex"));
    }

    @Test
    void functionCallWithDeclarationsAndResponseRoundTrip() throws Exception {
        String model = model();
        VertexWire.json(
                model,
                200,
                GeminiWire.response(
                        model,
                        "[{\"functionCall\":{\"name\":\"store_fact\",\"args\":{\"entity\":\"svc-v\",\"ttlSeconds\":30}}}]",
                        "STOP",
                        25,
                        8));
        generate(tenant(), """
        {"provider":"vertex","model":"%s","messages":[{"role":"user","content":"remember svc-x then svc-v"},
          {"role":"assistant","toolCalls":[{"id":"call_0","name":"store_fact","arguments":{"entity":"svc-x"}}]},
          {"role":"tool","toolCallId":"call_0","content":"stored"}],
         "tools":[{"name":"store_fact","description":"Store a fact","parameters":{"type":"object",
           "properties":{"entity":{"type":"string"},"ttlSeconds":{"type":"integer"}},"required":["entity"]}}]}""".formatted(model))
                .then()
                .statusCode(200)
                .body("finishReason", equalTo("tool_calls"))
                .body("toolCalls.size()", equalTo(1))
                .body("toolCalls[0].name", equalTo("store_fact"))
                .body("toolCalls[0].arguments.entity", equalTo("svc-v"))
                .body("toolCalls[0].arguments.ttlSeconds", equalTo(30));
        JsonNode sentBody = JSON.readTree(VertexWire.sent(model).get(0).getBodyAsString());
        JsonNode decl =
                sentBody.path("tools").get(0).path("functionDeclarations").get(0);
        assertThat(decl.path("name").asText()).isEqualTo("store_fact");
        assertThat(decl.path("parameters").path("required").toString()).isEqualTo("[\"entity\"]");
        JsonNode contents = sentBody.path("contents");
        assertThat(contents).hasSize(3);
        assertThat(contents.get(1).path("role").asText()).isEqualTo("model");
        assertThat(contents.get(1).toString()).contains("functionCall").contains("svc-x");
        assertThat(contents.get(2).toString()).contains("functionResponse").contains("stored");
    }

    @Test
    void streamsTextAndAFunctionCall() throws Exception {
        String model = model();
        VertexWire.sse(
                model,
                List.of(
                        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":6,\"totalTokenCount\":6},\"modelVersion\":\""
                                + model + "\"}",
                        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lo Vertex\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":6,\"candidatesTokenCount\":4,\"totalTokenCount\":10},\"modelVersion\":\""
                                + model + "\"}"));
        String sse = streamedChat(tenant(), """
        {"model":"vertex/%s","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}
        """.formatted(model));
        TestHttp.Streamed s = TestHttp.assemble(sse);
        assertThat(s.text()).isEqualTo("Hello Vertex");
        assertThat(s.finish()).isEqualTo("stop");
        assertThat(s.usage().path("total_tokens").asInt()).isEqualTo(10);
        LoggedRequest streamed = InstancesStub.google()
                .findAll(postRequestedFor(urlEqualTo(VertexWire.streamPath(model))))
                .get(0);
        assertThat(streamed.getHeader("Authorization")).isEqualTo("Bearer " + InstancesStub.VERTEX_TOKEN);

        String toolModel = model();
        VertexWire.sse(
                toolModel,
                List.of(
                        "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"lookup\",\"args\":{\"q\":\"svc-s\"}}}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":3,\"totalTokenCount\":12}}"));
        TestHttp.Streamed t = TestHttp.streamedLookup("vertex/" + toolModel);
        assertThat(t.finish()).isEqualTo("tool_calls");
        assertThat(t.toolArgument("q")).isEqualTo("svc-s");
    }

    @Test
    void errorsAreClassifiedAndTheTokenIsNeverShown() {
        String unauthorized = model();
        VertexWire.json(
                unauthorized,
                401,
                GeminiWire.error(
                        401,
                        "UNAUTHENTICATED",
                        "Request had invalid authentication credentials. Expected OAuth 2 access token"));
        String body = generate(tenant(), request(unauthorized, "hi"))
                .then()
                .statusCode(502)
                .body("type", equalTo("https://devloop.dev/problems/provider-credentials-rejected"))
                .body("detail", containsString("DEVLOOP_VERTEX_ACCESS_TOKEN"))
                .body("detail", containsString("GOOGLE_APPLICATION_CREDENTIALS"))
                .extract()
                .asString();
        assertThat(body).doesNotContain(InstancesStub.VERTEX_TOKEN);

        String limited = model();
        VertexWire.respond(
                limited,
                aResponse()
                        .withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Retry-After", "45")
                        .withBody(
                                GeminiWire.error(
                                        429,
                                        "RESOURCE_EXHAUSTED",
                                        "Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute_per_project_per_base_model")));
        generate(tenant(), request(limited, "hi"))
                .then()
                .statusCode(429)
                .header("Retry-After", "45")
                .body("type", equalTo("https://devloop.dev/problems/provider-rate-limited"))
                .body("detail", containsString("Quota exceeded"));
        assertThat(VertexWire.sent(limited)).hasSize(1);

        String failing = model();
        VertexWire.json(failing, 500, GeminiWire.error(500, "INTERNAL", "Internal error encountered."));
        generate(tenant(), request(failing, "hi"))
                .then()
                .statusCode(502)
                .body("type", equalTo("https://devloop.dev/problems/provider-error"))
                .body("detail", containsString("Internal error encountered."));
        assertThat(VertexWire.sent(failing)).hasSize(1); // retries are off in this profile
    }
}
