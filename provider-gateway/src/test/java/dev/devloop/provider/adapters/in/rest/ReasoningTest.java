package dev.devloop.provider.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.devloop.provider.adapters.in.rest.TestHttp.JSON;
import static dev.devloop.provider.adapters.in.rest.TestHttp.chat;
import static dev.devloop.provider.adapters.in.rest.TestHttp.chatJson;
import static dev.devloop.provider.adapters.in.rest.TestHttp.generate;
import static dev.devloop.provider.adapters.in.rest.TestHttp.generateJson;
import static dev.devloop.provider.adapters.in.rest.TestHttp.streamedChat;
import static dev.devloop.provider.adapters.in.rest.TestHttp.tenantWithoutRedaction;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.devloop.contracts.Headers;
import dev.devloop.provider.support.AnthropicWire;
import dev.devloop.provider.support.GeminiWire;
import dev.devloop.provider.support.MultiProviderStub;
import dev.devloop.provider.support.OpenAiWireStubs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Visible reasoning from each provider's real wire format (Anthropic {@code thinking} blocks, OpenAI-compatible
 * {@code reasoning_content}, Gemini {@code thought} parts) on {@code /v1/generate} and {@code /v1/chat/completions},
 * streamed apart from the text, PII-redacted by the request's rule, and kept by the response cache.
 */
@QuarkusTest
@WithTestResource(MultiProviderStub.class)
class ReasoningTest {
    private static final String THINKING =
            "The user wants svc-a checked; ops@example.com owns it, so ask the graph first.";
    private static final String TOOLS = """
      "tools":[{"name":"lookup","description":"Look up a service","parameters":{"type":"object",
        "properties":{"q":{"type":"string"}},"required":["q"]}}]""";

    private static String generateBody(String model, String extra) {
        return """
        {"model":"%s","messages":[{"role":"user","content":"check svc-a"}],%s,"options":{"temperature":0.2,"maxTokens":512}}""".formatted(model, extra);
    }

    private static String anthropicWithThinkingTextAndToolUse(String model, String thinking) {
        return AnthropicWire.message(model, """
        [{"type":"thinking","thinking":"%s","signature":"EqQBCkgIARABGAIiQL1x"},
         {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"},
         {"type":"text","text":"Let me look that up."},
         {"type":"tool_use","id":"toolu_r1","name":"lookup","input":{"q":"svc-a"}}]""".formatted(thinking), "tool_use", 40, 30);
    }

    private static void openai(String model, String message, String finish) {
        MultiProviderStub.server()
                .stubFor(post(urlEqualTo(OpenAiWireStubs.PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody(OpenAiWireStubs.completion(model, message, finish, 20, 12))));
    }

    private static void openaiStream(String model, List<String> chunks) {
        StringBuilder body = new StringBuilder();
        chunks.forEach(c -> body.append("data: ").append(c).append("\n\n"));
        body.append("data: [DONE]\n\n");
        MultiProviderStub.server()
                .stubFor(post(urlEqualTo(OpenAiWireStubs.PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                        .withRequestBody(matchingJsonPath("$.stream", WireMock.equalTo("true")))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "text/event-stream")
                                .withBody(body.toString())));
    }

    /** The {@code reasoning_content} deltas of an OpenAI-format chunk stream, in order. */
    private static List<String> reasoningDeltas(String sse) throws Exception {
        List<String> out = new ArrayList<>();
        for (String e : TestHttp.events(sse)) {
            if (!e.equals("[DONE]")) {
                for (JsonNode choice : JSON.readTree(e).path("choices")) {
                    if (choice.path("delta").hasNonNull("reasoning_content")) {
                        out.add(choice.path("delta").get("reasoning_content").asText());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void anthropicThinkingBlocksBecomeTheReasoningWithTextAndToolUseUnchanged() throws Exception {
        String model = TestHttp.unique("claude-think");
        AnthropicWire.json(model, 200, anthropicWithThinkingTextAndToolUse(model, THINKING));

        JsonNode answer = generateJson(tenantWithoutRedaction(), generateBody("anthropic/" + model, TOOLS));

        assertThat(answer.path("reasoning").asText()).isEqualTo(THINKING);
        assertThat(answer.path("text").asText()).isEqualTo("Let me look that up.");
        assertThat(answer.path("finishReason").asText()).isEqualTo("tool_calls");
        assertThat(answer.path("toolCalls")).hasSize(1);
        assertThat(answer.path("toolCalls").get(0).path("id").asText()).isEqualTo("toolu_r1");
        assertThat(answer.path("toolCalls").get(0).path("name").asText()).isEqualTo("lookup");
        assertThat(answer.path("toolCalls").get(0).path("arguments").path("q").asText())
                .isEqualTo("svc-a");
        assertThat(answer.toString())
                .doesNotContain("EmwKAhgB")
                .doesNotContain("EqQBCkgI"); // redacted_thinking, signature
    }

    @Test
    void withTheThinkingSettingsOffNeitherProviderIsAskedForReasoning() throws Exception {
        String claude = TestHttp.unique("claude-no-think");
        String gemini = TestHttp.unique("gemini-no-think");
        AnthropicWire.json(
                claude, 200, AnthropicWire.message(claude, "[{\"type\":\"text\",\"text\":\"Hi\"}]", "end_turn", 3, 1));
        GeminiWire.json(gemini, 200, GeminiWire.response(gemini, "[{\"text\":\"Hi\"}]", "STOP", 3, 1));

        generate(tenantWithoutRedaction(), generateBody("anthropic/" + claude, "\"agentId\":\"a\""))
                .then()
                .statusCode(200);
        generate(tenantWithoutRedaction(), generateBody("gemini/" + gemini, "\"agentId\":\"a\""))
                .then()
                .statusCode(200);

        JsonNode toAnthropic = JSON.readTree(MultiProviderStub.server()
                .findAll(postRequestedFor(urlEqualTo(AnthropicWire.PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(claude))))
                .get(0)
                .getBodyAsString());
        assertThat(toAnthropic.has("thinking")).isFalse();
        assertThat(toAnthropic.path("max_tokens").asInt()).isEqualTo(512);
        assertThat(toAnthropic.path("temperature").asDouble()).isEqualTo(0.2);
        JsonNode toGemini = JSON.readTree(GeminiWire.sent(gemini).get(0).getBodyAsString());
        assertThat(toGemini.path("generationConfig").has("thinkingConfig")).isFalse();
    }

    @Test
    void anAnswerWithoutReasoningHasNoReasoningField() throws Exception {
        String model = TestHttp.unique("claude-plain");
        AnthropicWire.json(
                model, 200, AnthropicWire.message(model, "[{\"type\":\"text\",\"text\":\"Hi\"}]", "end_turn", 3, 1));
        JsonNode answer =
                generateJson(tenantWithoutRedaction(), generateBody("anthropic/" + model, "\"agentId\":\"a\""));
        assertThat(answer.has("reasoning")).isFalse();
        assertThat(answer.path("text").asText()).isEqualTo("Hi");
    }

    @Test
    void openAiCompatibleReasoningContentIsTheReasoning() throws Exception {
        String model = TestHttp.unique("deepseek-reasoner");
        openai(model, """
        {"role":"assistant","content":"svc-a is healthy.","reasoning_content":"%s"}""".formatted(THINKING), "stop");

        JsonNode answer = generateJson(tenantWithoutRedaction(), generateBody("openai/" + model, "\"agentId\":\"a\""));

        assertThat(answer.path("reasoning").asText()).isEqualTo(THINKING);
        assertThat(answer.path("text").asText()).isEqualTo("svc-a is healthy.");
        assertThat(answer.path("finishReason").asText()).isEqualTo("stop");
    }

    @Test
    void openAiCompatibleReasoningWithToolCallsAndNoContent() throws Exception {
        String model = TestHttp.unique("vllm-qwen");
        openai(model, """
        {"role":"assistant","content":null,"reasoning_content":"Need the graph.",
         "tool_calls":[{"id":"call_r","type":"function","function":{"name":"lookup","arguments":"{\\"q\\":\\"svc-a\\"}"}}]}""", "tool_calls");

        JsonNode answer = generateJson(tenantWithoutRedaction(), generateBody("openai/" + model, TOOLS));

        assertThat(answer.path("reasoning").asText()).isEqualTo("Need the graph.");
        assertThat(answer.has("text")).isFalse();
        assertThat(answer.path("toolCalls").get(0).path("id").asText()).isEqualTo("call_r");
        assertThat(answer.path("toolCalls").get(0).path("arguments").path("q").asText())
                .isEqualTo("svc-a");
    }

    @Test
    void geminiThoughtPartsAreTheReasoningAndNotTheText() throws Exception {
        String model = TestHttp.unique("gemini-think");
        GeminiWire.json(model, 200, GeminiWire.response(model, """
        [{"text":"%s","thought":true},
         {"text":"Checking svc-a."},
         {"functionCall":{"name":"lookup","args":{"q":"svc-a"}},"thoughtSignature":"CiQBcsjafA=="}]""".formatted(THINKING), "STOP", 15, 25));

        JsonNode answer = generateJson(tenantWithoutRedaction(), generateBody("gemini/" + model, TOOLS));

        assertThat(answer.path("reasoning").asText()).isEqualTo(THINKING);
        assertThat(answer.path("text").asText()).isEqualTo("Checking svc-a.");
        assertThat(answer.path("toolCalls")).hasSize(1);
        assertThat(answer.path("toolCalls").get(0).path("name").asText()).isEqualTo("lookup");
        assertThat(answer.path("toolCalls").get(0).path("arguments").path("q").asText())
                .isEqualTo("svc-a");
    }

    @Test
    void piiInTheReasoningIsRedactedByTheRequestsRule() throws Exception {
        String model = TestHttp.unique("claude-pii");
        AnthropicWire.json(model, 200, anthropicWithThinkingTextAndToolUse(model, THINKING));

        String redacted = given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenantWithoutRedaction())
                .header(GenerateResource.REDACT, "pii")
                .body(generateBody("anthropic/" + model, TOOLS))
                .when()
                .post("/v1/generate")
                .then()
                .statusCode(200)
                .extract()
                .path("reasoning");
        String byTenant = generate(MultiProviderStub.PII_TENANT, generateBody("anthropic/" + model, TOOLS))
                .then()
                .statusCode(200)
                .extract()
                .path("reasoning");
        String plain = generate(tenantWithoutRedaction(), generateBody("anthropic/" + model, TOOLS))
                .then()
                .statusCode(200)
                .extract()
                .path("reasoning");

        assertThat(redacted).isEqualTo(THINKING.replace("ops@example.com", "[REDACTED_EMAIL]"));
        assertThat(byTenant).isEqualTo(redacted);
        assertThat(plain).isEqualTo(THINKING);
    }

    @Test
    void aCachedAnswerKeepsItsReasoning() throws Exception {
        String model = TestHttp.unique("claude-cached");
        String tenant = tenantWithoutRedaction();
        AnthropicWire.json(model, 200, anthropicWithThinkingTextAndToolUse(model, THINKING));
        String body = """
        {"model":"anthropic/%s","messages":[{"role":"user","content":"check svc-a"}],%s,"options":{"temperature":0,"maxTokens":512}}""".formatted(model, TOOLS);

        JsonNode first = generateJson(tenant, body);
        JsonNode second = generateJson(tenant, body);
        String redactedHit = given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant)
                .header(GenerateResource.REDACT, "pii")
                .body(body)
                .when()
                .post("/v1/generate")
                .then()
                .statusCode(200)
                .extract()
                .path("reasoning");

        assertThat(first.path("cached").asBoolean()).isFalse();
        assertThat(second.path("cached").asBoolean()).isTrue();
        assertThat(second.path("reasoning").asText()).isEqualTo(THINKING);
        assertThat(second.path("toolCalls").get(0).path("name").asText()).isEqualTo("lookup");
        assertThat(redactedHit).isEqualTo(THINKING.replace("ops@example.com", "[REDACTED_EMAIL]"));
        assertThat(MultiProviderStub.server()
                        .findAll(postRequestedFor(urlEqualTo(AnthropicWire.PATH))
                                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))))
                .hasSize(1);
    }

    @Test
    void chatCompletionsCarriesReasoningContentOnTheMessage() throws Exception {
        String model = TestHttp.unique("claude-chat");
        AnthropicWire.json(model, 200, anthropicWithThinkingTextAndToolUse(model, THINKING));

        JsonNode completion = chatJson(tenantWithoutRedaction(), """
        {"model":"anthropic/%s","messages":[{"role":"user","content":"check svc-a"}],
         "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object","properties":{"q":{"type":"string"}}}}}]}""".formatted(model));

        JsonNode message = completion.path("choices").get(0).path("message");
        assertThat(message.path("reasoning_content").asText()).isEqualTo(THINKING);
        assertThat(message.path("content").asText()).isEqualTo("Let me look that up.");
        assertThat(message.path("tool_calls")
                        .get(0)
                        .path("function")
                        .path("name")
                        .asText())
                .isEqualTo("lookup");
    }

    @Test
    void streamedOpenAiReasoningTravelsAsReasoningContentDeltasNotText() throws Exception {
        String model = TestHttp.unique("deepseek-stream");
        openaiStream(
                model,
                List.of(
                        OpenAiWireStubs.chunk(
                                model, "{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"\"}", null),
                        OpenAiWireStubs.chunk(model, "{\"reasoning_content\":\"First the \"}", null),
                        OpenAiWireStubs.chunk(model, "{\"reasoning_content\":\"graph.\"}", null),
                        OpenAiWireStubs.chunk(model, "{\"content\":\"svc-a \"}", null),
                        OpenAiWireStubs.chunk(model, "{\"content\":\"is fine.\"}", null),
                        OpenAiWireStubs.chunk(model, "{}", "stop"),
                        OpenAiWireStubs.usageChunk(model, 10, 8)));

        String sse = streamedChat(tenantWithoutRedaction(), """
        {"model":"openai/%s","messages":[{"role":"user","content":"check svc-a"}],"stream":true}""".formatted(model));

        TestHttp.Streamed s = TestHttp.assemble(sse);
        assertThat(s.text()).isEqualTo("svc-a is fine.");
        assertThat(s.finish()).isEqualTo("stop");
        assertThat(String.join("", reasoningDeltas(sse))).isEqualTo("First the graph.");
    }

    @Test
    void streamedAnthropicThinkingDeltasStayOutOfTheText() throws Exception {
        String model = TestHttp.unique("claude-stream-think");
        AnthropicWire.sse(
                model,
                List.of(
                        AnthropicWire.messageStart(model, 25),
                        AnthropicWire.blockStart(0, "thinking"),
                        AnthropicWire.delta(0, "thinking", "Ask ops@example.com "),
                        AnthropicWire.delta(0, "thinking", "later."),
                        AnthropicWire.delta(0, "signature", "EqQBCkgIARAB"),
                        AnthropicWire.blockStop(0),
                        AnthropicWire.blockStart(1, "text"),
                        AnthropicWire.delta(1, "text", "Done."),
                        AnthropicWire.blockStop(1),
                        AnthropicWire.messageDelta("end_turn", 9),
                        AnthropicWire.messageStop()));
        String request = """
        {"model":"anthropic/%s","messages":[{"role":"user","content":"hi"}],"stream":true}""".formatted(model);

        String sse = chat(tenantWithoutRedaction(), request)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String redacted = given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenantWithoutRedaction())
                .header(GenerateResource.REDACT, "pii")
                .body(request)
                .when()
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .asString();

        assertThat(TestHttp.assemble(sse).text()).isEqualTo("Done.");
        assertThat(reasoningDeltas(sse)).containsExactly("Ask ops@example.com ", "later.");
        // a redacted call withholds the deltas and sends the whole reasoning once, redacted
        assertThat(TestHttp.assemble(redacted).text()).isEqualTo("Done.");
        assertThat(reasoningDeltas(redacted)).containsExactly("Ask [REDACTED_EMAIL] later.");
        assertThat(redacted).doesNotContain("ops@example.com");
    }

    @Test
    void streamedGeminiThoughtsStayOutOfTheText() throws Exception {
        String model = TestHttp.unique("gemini-stream-think");
        GeminiWire.sse(
                model,
                List.of(
                        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Weighing options.\",\"thought\":true}],\"role\":\"model\"},\"index\":0}],"
                                + "\"usageMetadata\":{\"promptTokenCount\":5,\"totalTokenCount\":5},\"modelVersion\":\""
                                + model + "\"}",
                        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"All good.\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                                + "\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":4,\"totalTokenCount\":9},\"modelVersion\":\""
                                + model + "\"}"));

        String sse = chat(tenantWithoutRedaction(), """
        {"model":"gemini/%s","messages":[{"role":"user","content":"hi"}],"stream":true}""".formatted(model))
                .then()
                .statusCode(200)
                .extract()
                .asString();

        assertThat(TestHttp.assemble(sse).text()).isEqualTo("All good.");
        assertThat(String.join("", reasoningDeltas(sse))).isEqualTo("Weighing options.");
    }
}
