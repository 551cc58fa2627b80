package dev.devloop.provider.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.devloop.contracts.Headers;
import dev.devloop.provider.support.CommonStubs;
import dev.devloop.provider.support.OpenAiStub;
import dev.devloop.provider.support.OpenAiWireStubs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible API ({@code /v1/chat/completions}, {@code /v1/models}) and {@code /v1/providers}. */
@QuarkusTest
@WithTestResource(CommonStubs.class)
class ChatCompletionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String model() {
        return "m-" + UUID.randomUUID();
    }

    private static Response post(String body) {
        return given().contentType(ContentType.JSON)
                .header(Headers.TENANT, "t-" + UUID.randomUUID())
                .body(body)
                .when()
                .post("/v1/chat/completions");
    }

    /** The JSON payloads of an SSE body, {@code [DONE]} included as a plain string. */
    private static List<String> events(String sse) {
        List<String> data = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                data.add(line.substring(6));
            }
        }
        return data;
    }

    @Test
    void nonStreamingAnswerInOpenAiFormat() throws Exception {
        String model = model();
        OpenAiWireStubs.json(
                model,
                200,
                OpenAiWireStubs.completion(model, "{\"role\":\"assistant\",\"content\":\"Hi!\"}", "stop", 7, 2));
        post("""
        {"model":"%s","messages":[{"role":"developer","content":"be brief"},
          {"role":"user","content":[{"type":"text","text":"hel"},{"type":"text","text":"lo"}]}],
         "temperature":0,"max_tokens":20,"stop":"END"}""".formatted(model))
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("object", equalTo("chat.completion"))
                .body("model", equalTo(model))
                .body("choices[0].index", equalTo(0))
                .body("choices[0].message.role", equalTo("assistant"))
                .body("choices[0].message.content", equalTo("Hi!"))
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("usage.prompt_tokens", equalTo(7))
                .body("usage.completion_tokens", equalTo(2))
                .body("usage.total_tokens", equalTo(9));
        JsonNode sent = JSON.readTree(OpenAiStub.server()
                .findAll(postRequestedFor(urlEqualTo(OpenAiWireStubs.PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model))))
                .get(0)
                .getBodyAsString());
        assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(sent.path("messages").get(1).path("content").asText()).isEqualTo("hello");
        assertThat(sent.path("stop").toString()).isEqualTo("[\"END\"]");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(20);
    }

    @Test
    void nonStreamingToolCallsAndToolResults() throws Exception {
        String model = model();
        String message = """
        {"role":"assistant","content":null,"tool_calls":[
          {"id":"call_x","type":"function","function":{"name":"lookup","arguments":"{\\"q\\":\\"a\\"}"}},
          {"id":"call_y","type":"function","function":{"name":"lookup","arguments":"{\\"q\\":\\"b\\"}"}}]}""";
        OpenAiWireStubs.json(model, 200, OpenAiWireStubs.completion(model, message, "tool_calls", 30, 12));
        String body = """
        {"model":"openai/%s","messages":[{"role":"user","content":"go"},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_0","type":"function","function":{"name":"lookup","arguments":"{\\"q\\":\\"z\\"}"}}]},
          {"role":"tool","tool_call_id":"call_0","content":"found z"}],
         "tools":[{"type":"function","function":{"name":"lookup","description":"Look up","parameters":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}}]}
        """.formatted(model);
        post(body)
                .then()
                .statusCode(200)
                .body("choices[0].finish_reason", equalTo("tool_calls"))
                .body("choices[0].message.tool_calls.size()", equalTo(2))
                .body("choices[0].message.tool_calls[0].id", equalTo("call_x"))
                .body("choices[0].message.tool_calls[0].type", equalTo("function"))
                .body("choices[0].message.tool_calls[1].function.arguments", equalTo("{\"q\":\"b\"}"));
        JsonNode sent = JSON.readTree(OpenAiStub.server()
                .findAll(postRequestedFor(urlEqualTo(OpenAiWireStubs.PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model))))
                .get(0)
                .getBodyAsString());
        assertThat(sent.path("messages").get(2).path("tool_call_id").asText()).isEqualTo("call_0");
        assertThat(sent.path("messages")
                        .get(1)
                        .path("tool_calls")
                        .get(0)
                        .path("function")
                        .path("name")
                        .asText())
                .isEqualTo("lookup");
        assertThat(sent.path("tools")
                        .get(0)
                        .path("function")
                        .path("parameters")
                        .path("required")
                        .toString())
                .isEqualTo("[\"q\"]");
    }

    @Test
    void streamsTextAsChunksEndingInDone() throws Exception {
        String model = model();
        OpenAiWireStubs.streamedText(model, List.of("Hel", "lo", " world"), 5, 3);
        String sse = post("""
        {"model":"%s","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}
        """.formatted(model))
                .then()
                .statusCode(200)
                .contentType("text/event-stream")
                .extract()
                .asString();
        List<String> events = events(sse);
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        String finish = null;
        JsonNode usage = null;
        String id = null;
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = JSON.readTree(e);
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            id = id == null ? chunk.path("id").asText() : id;
            assertThat(chunk.path("id").asText()).isEqualTo(id);
            if (chunk.hasNonNull("usage")) {
                usage = chunk.get("usage");
            }
            for (JsonNode choice : chunk.path("choices")) {
                text.append(choice.path("delta").path("content").asText(""));
                if (choice.hasNonNull("finish_reason")) {
                    finish = choice.get("finish_reason").asText();
                }
            }
        }
        assertThat(JSON.readTree(events.get(0))
                        .path("choices")
                        .get(0)
                        .path("delta")
                        .path("role")
                        .asText())
                .isEqualTo("assistant");
        assertThat(text.toString()).isEqualTo("Hello world");
        assertThat(finish).isEqualTo("stop");
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(8);
        OpenAiStub.server()
                .verify(postRequestedFor(urlEqualTo(OpenAiWireStubs.PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                        .withRequestBody(matchingJsonPath("$.stream", WireMock.equalTo("true"))));
    }

    @Test
    void streamsToolCalls() throws Exception {
        String model = model();
        OpenAiWireStubs.streamedToolCall(model, "call_s1", "store_fact");
        String sse = post("""
        {"model":"%s","messages":[{"role":"user","content":"store"}],"stream":true,
         "tools":[{"type":"function","function":{"name":"store_fact","parameters":{"type":"object","properties":{"entity":{"type":"string"}}}}}]}
        """.formatted(model)).then().statusCode(200).extract().asString();
        List<String> events = events(sse);
        JsonNode toolChunk = null;
        String finish = null;
        for (String e : events) {
            if (e.equals("[DONE]")) {
                continue;
            }
            JsonNode choice = JSON.readTree(e).path("choices").path(0);
            if (choice.path("delta").has("tool_calls")) {
                toolChunk = choice.path("delta").path("tool_calls");
            }
            if (choice.hasNonNull("finish_reason")) {
                finish = choice.get("finish_reason").asText();
            }
        }
        assertThat(toolChunk).isNotNull();
        assertThat(toolChunk.get(0).path("index").asInt()).isZero();
        assertThat(toolChunk.get(0).path("id").asText()).isEqualTo("call_s1");
        assertThat(toolChunk.get(0).path("function").path("name").asText()).isEqualTo("store_fact");
        assertThat(JSON.readTree(toolChunk
                                .get(0)
                                .path("function")
                                .path("arguments")
                                .asText())
                        .path("entity")
                        .asText())
                .isEqualTo("svc-s");
        assertThat(finish).isEqualTo("tool_calls");
    }

    @Test
    void streamingUpstreamRejectionIsAnOpenAiErrorBeforeTheStream() {
        String model = model();
        OpenAiWireStubs.json(
                model, 401, "{\"error\":{\"message\":\"Incorrect API key\",\"type\":\"invalid_request_error\"}}");
        post("{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}"
                        .formatted(model))
                .then()
                .statusCode(502)
                .contentType("application/json")
                .body("error.type", equalTo("upstream_error"))
                .body("error.code", equalTo("provider_credentials_rejected"))
                .body("error.message", containsString("DEVLOOP_OPENAI_API_KEY"));
    }

    @Test
    void rejectsBadOpenAiRequests() {
        post("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("model"));
        post("{\"model\":\"x\",\"messages\":[]}").then().statusCode(400).body("error.param", equalTo("messages"));
        post("{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":\"retrieval\"}]}")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("tools[0].type"));
        post("{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{}}]}]}")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("messages[0].content[0]"));
        post("{\"model\":\"x\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("n"));
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.param", equalTo(Headers.TENANT));
    }

    /** Issue #19: the tenant comes from the verified caller; a call acting for none is refused in OpenAI's shape. */
    @Test
    void everyOpenAiRouteRefusesATenantlessCallInOpenAiShape() {
        given().contentType(ContentType.JSON)
                .body("{\"input\":\"hi\"}")
                .post("/v1/embeddings")
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("error.param", equalTo(Headers.TENANT))
                .body("error.message", containsString(Headers.TENANT));
        for (String path : List.of("/v1/models", "/v1/models/anything")) {
            given().get(path)
                    .then()
                    .statusCode(400)
                    .contentType(ContentType.JSON)
                    .body("error.param", equalTo(Headers.TENANT))
                    .body("error.message", containsString(Headers.TENANT));
        }
    }

    @Test
    void listsModelsAndProviders() {
        given().header(Headers.TENANT, "t-" + UUID.randomUUID())
                .get("/v1/models")
                .then()
                .statusCode(200)
                .body("object", equalTo("list"))
                .body("data.id", hasItem("gpt-4o-mini"))
                .body("data[0].object", equalTo("model"))
                .body("data[0].owned_by", equalTo("openai"));
        given().header(Headers.TENANT, "t-" + UUID.randomUUID())
                .get("/v1/providers")
                .then()
                .statusCode(200)
                .body("providers[0].name", equalTo("openai"))
                .body("providers[0].configured", equalTo(true))
                .body("providers[0].defaultProvider", equalTo(true))
                .body("providers[0].defaultModel", equalTo("gpt-4o-mini"))
                .body("providers[0].circuit", equalTo("closed"));
    }
}
