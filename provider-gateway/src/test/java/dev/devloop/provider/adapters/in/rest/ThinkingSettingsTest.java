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
import static dev.devloop.provider.adapters.in.rest.TestHttp.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.devloop.provider.support.AnthropicWire;
import dev.devloop.provider.support.GeminiWire;
import dev.devloop.provider.support.InstancesStub;
import dev.devloop.provider.support.MultiProviderStub;
import dev.devloop.provider.support.ThinkingProfile;
import dev.devloop.provider.support.VertexWire;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With the thinking settings on ({@link ThinkingProfile}) the upstream requests ask for reasoning in each
 * provider's wire format — Anthropic {@code thinking} with the budget (and a valid {@code max_tokens} and no
 * temperature), Gemini and Vertex {@code generationConfig.thinkingConfig} — and what comes back is the reasoning.
 * The settings-off side is asserted in {@link ReasoningTest} and {@link VertexGenerateTest}.
 */
@QuarkusTest
@TestProfile(ThinkingProfile.class)
@WithTestResource(MultiProviderStub.class)
@WithTestResource(InstancesStub.class)
class ThinkingSettingsTest {
    private static final String THINKING = "svc-a first, then its owners.";
    private static final int ANSWER_TOKENS = 512;

    private static String thinkingAnswer(String model) {
        return AnthropicWire.message(model, """
        [{"type":"thinking","thinking":"%s","signature":"EqQBCkgIARABGAIiQL1x"},{"type":"text","text":"svc-a is fine."}]""".formatted(THINKING), "end_turn", 30, 40);
    }

    /** Answers only a request carrying extended thinking with the configured budget. */
    private static void anthropicThinking(String model, String body) {
        MultiProviderStub.server()
                .stubFor(post(urlEqualTo(AnthropicWire.PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                        .withRequestBody(matchingJsonPath("$.thinking.type", WireMock.equalTo("enabled")))
                        .withRequestBody(matchingJsonPath(
                                "$.thinking.budget_tokens",
                                WireMock.equalTo(String.valueOf(ThinkingProfile.ANTHROPIC_BUDGET))))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody(body)));
    }

    private static JsonNode sentToAnthropic(String model) throws Exception {
        List<LoggedRequest> sent = MultiProviderStub.server()
                .findAll(postRequestedFor(urlEqualTo(AnthropicWire.PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model))));
        assertThat(sent).hasSize(1);
        return JSON.readTree(sent.get(0).getBodyAsString());
    }

    private static String request(String model, String messages) {
        return """
        {"model":"%s","messages":%s,"options":{"temperature":0.2,"maxTokens":%d}}""".formatted(model, messages, ANSWER_TOKENS);
    }

    @Test
    void anthropicRequestAsksForThinkingWithTheBudgetAndTheThinkingBlockIsTheReasoning() throws Exception {
        String model = TestHttp.unique("claude-budget");
        anthropicThinking(model, thinkingAnswer(model));

        JsonNode answer = generateJson(
                tenant(), request("anthropic/" + model, "[{\"role\":\"user\",\"content\":\"check svc-a\"}]"));

        assertThat(answer.path("reasoning").asText()).isEqualTo(THINKING);
        assertThat(answer.path("text").asText()).isEqualTo("svc-a is fine.");
        JsonNode sent = sentToAnthropic(model);
        assertThat(sent.path("thinking").path("type").asText()).isEqualTo("enabled");
        assertThat(sent.path("thinking").path("budget_tokens").asInt()).isEqualTo(ThinkingProfile.ANTHROPIC_BUDGET);
        // max_tokens must exceed the budget: the answer's tokens on top of it
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(ANSWER_TOKENS + ThinkingProfile.ANTHROPIC_BUDGET);
        assertThat(sent.has("temperature"))
                .as("thinking accepts no temperature but 1")
                .isFalse();
    }

    @Test
    void anthropicRequestWithoutMaxTokensGetsTheDefaultOnTopOfTheBudget() throws Exception {
        String model = TestHttp.unique("claude-budget-default");
        anthropicThinking(model, thinkingAnswer(model));

        generate(tenant(), """
        {"model":"anthropic/%s","messages":[{"role":"user","content":"hi"}]}""".formatted(model)).then().statusCode(200);

        assertThat(sentToAnthropic(model).path("max_tokens").asInt())
                .isEqualTo(4096 + ThinkingProfile.ANTHROPIC_BUDGET);
    }

    @Test
    void aToolUseContinuationGoesWithoutThinkingBecauseTheSignedBlocksCannotBeEchoed() throws Exception {
        String model = TestHttp.unique("claude-tool-loop");
        AnthropicWire.json(
                model,
                200,
                AnthropicWire.message(model, "[{\"type\":\"text\",\"text\":\"svc-a is up.\"}]", "end_turn", 50, 6));

        generate(tenant(), request("anthropic/" + model, """
        [{"role":"user","content":"check svc-a"},
         {"role":"assistant","content":"Looking.","toolCalls":[{"id":"toolu_1","name":"lookup","arguments":{"q":"svc-a"}}]},
         {"role":"tool","toolCallId":"toolu_1","name":"lookup","content":"up"}]""")).then().statusCode(200);

        JsonNode sent = sentToAnthropic(model);
        assertThat(sent.has("thinking")).isFalse();
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(ANSWER_TOKENS);
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);
    }

    @Test
    void streamedAnthropicRequestAsksForThinkingToo() throws Exception {
        String model = TestHttp.unique("claude-budget-stream");
        AnthropicWire.sse(
                model,
                List.of(
                        AnthropicWire.messageStart(model, 25),
                        AnthropicWire.blockStart(0, "thinking"),
                        AnthropicWire.delta(0, "thinking", "Weighing."),
                        AnthropicWire.blockStop(0),
                        AnthropicWire.blockStart(1, "text"),
                        AnthropicWire.delta(1, "text", "Done."),
                        AnthropicWire.blockStop(1),
                        AnthropicWire.messageDelta("end_turn", 9),
                        AnthropicWire.messageStop()));

        String sse = chat(tenant(), """
        {"model":"anthropic/%s","messages":[{"role":"user","content":"hi"}],"stream":true,"temperature":0.5}""".formatted(model))
                .then()
                .statusCode(200)
                .extract()
                .asString();

        assertThat(TestHttp.assemble(sse).text()).isEqualTo("Done.");
        assertThat(sse).contains("\"reasoning_content\":\"Weighing.\"");
        JsonNode sent = sentToAnthropic(model);
        assertThat(sent.path("thinking").path("budget_tokens").asInt()).isEqualTo(ThinkingProfile.ANTHROPIC_BUDGET);
        assertThat(sent.path("max_tokens").asInt()).isGreaterThan(ThinkingProfile.ANTHROPIC_BUDGET);
        assertThat(sent.has("temperature")).isFalse();
    }

    @Test
    void geminiRequestAsksForThoughtsWithTheBudgetAndTheThoughtIsTheReasoning() throws Exception {
        String model = TestHttp.unique("gemini-thoughts");
        GeminiWire.json(model, 200, GeminiWire.response(model, """
        [{"text":"%s","thought":true},{"text":"svc-a is fine."}]""".formatted(THINKING), "STOP", 10, 20));

        JsonNode answer =
                generateJson(tenant(), request("gemini/" + model, "[{\"role\":\"user\",\"content\":\"check svc-a\"}]"));

        assertThat(answer.path("reasoning").asText()).isEqualTo(THINKING);
        assertThat(answer.path("text").asText()).isEqualTo("svc-a is fine.");
        List<LoggedRequest> sent = GeminiWire.sent(model);
        assertThat(sent).hasSize(1);
        JsonNode config = JSON.readTree(sent.get(0).getBodyAsString()).path("generationConfig");
        assertThat(config.path("thinkingConfig").path("includeThoughts").asBoolean())
                .isTrue();
        assertThat(config.path("thinkingConfig").path("thinkingBudget").asInt())
                .isEqualTo(ThinkingProfile.GEMINI_BUDGET);
        assertThat(config.path("temperature").asDouble()).isEqualTo(0.2);
    }

    @Test
    void vertexRequestAsksForThoughtsAndTheThoughtIsTheReasoning() throws Exception {
        String model = TestHttp.unique("gemini-vertex-thoughts");
        VertexWire.json(model, 200, GeminiWire.response(model, """
        [{"text":"%s","thought":true},{"text":"svc-a is fine."}]""".formatted(THINKING), "STOP", 10, 20));

        JsonNode completion = chatJson(tenant(), """
        {"model":"vertex/%s","messages":[{"role":"user","content":"check svc-a"}]}""".formatted(model));

        JsonNode message = completion.path("choices").get(0).path("message");
        assertThat(message.path("reasoning_content").asText()).isEqualTo(THINKING);
        assertThat(message.path("content").asText()).isEqualTo("svc-a is fine.");
        List<LoggedRequest> sent = VertexWire.sent(model);
        assertThat(sent).hasSize(1);
        JsonNode thinking = JSON.readTree(sent.get(0).getBodyAsString())
                .path("generationConfig")
                .path("thinkingConfig");
        assertThat(thinking.path("includeThoughts").asBoolean()).isTrue();
        assertThat(thinking.has("thinkingBudget"))
                .as("no vertex budget configured")
                .isFalse();
    }
}
