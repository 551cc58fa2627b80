package dev.devloop.provider.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
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
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.devloop.provider.support.AnthropicWire;
import dev.devloop.provider.support.MultiProviderStub;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Anthropic Claude through {@code /v1/generate} and {@code /v1/chat/completions}, WireMock speaking the Messages API. */
@QuarkusTest
@WithTestResource(MultiProviderStub.class)
class AnthropicGenerateTest {

    private static String model() {
        return TestHttp.unique("claude-test");
    }

    private static List<LoggedRequest> sent(String model) {
        return MultiProviderStub.server()
                .findAll(postRequestedFor(urlEqualTo(AnthropicWire.PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model))));
    }

    private static String request(String model, String text) {
        return """
        {"provider":"anthropic","model":"%s","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"%s"}],
         "options":{"temperature":0.3,"maxTokens":64},"agentId":"agent-a"}""".formatted(model, text);
    }

    @Test
    void plainTextInMessagesFormat() throws Exception {
        String model = model();
        AnthropicWire.json(
                model,
                200,
                AnthropicWire.message(
                        model, "[{\"type\":\"text\",\"text\":\"Hello from Claude\"}]", "end_turn", 21, 5));
        generate(tenant(), request(model, "hi"))
                .then()
                .statusCode(200)
                .body("text", equalTo("Hello from Claude"))
                .body("provider", equalTo("anthropic"))
                .body("model", equalTo(model))
                .body("finishReason", equalTo("stop"))
                .body("usage.inputTokens", equalTo(21))
                .body("usage.outputTokens", equalTo(5))
                .body("usage.totalTokens", equalTo(26));
        LoggedRequest raw = sent(model).get(0);
        assertThat(raw.getHeader("x-api-key")).isEqualTo(MultiProviderStub.ANTHROPIC_KEY);
        assertThat(raw.getHeader("anthropic-version")).isEqualTo("2023-06-01");
        JsonNode body = JSON.readTree(raw.getBodyAsString());
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.path("system").toString()).contains("be brief");
        assertThat(body.path("messages")).hasSize(1);
        assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("user");
        assertThat(body.path("messages").get(0).toString()).contains("hi");
    }

    @Test
    void defaultMaxTokensIsSentWhenTheRequestSetsNone() throws Exception {
        String model = model();
        AnthropicWire.json(
                model,
                200,
                AnthropicWire.message(model, "[{\"type\":\"text\",\"text\":\"ok\"}]", "max_tokens", 3, 4096));
        generate(tenant(), """
        {"model":"anthropic/%s","messages":[{"role":"user","content":"write a lot"}]}""".formatted(model)).then().statusCode(200).body("finishReason", equalTo("length"));
        assertThat(JSON.readTree(sent(model).get(0).getBodyAsString())
                        .path("max_tokens")
                        .asInt())
                .isEqualTo(4096);
    }

    @Test
    void singleToolUseWithSchemaSent() throws Exception {
        String model = model();
        AnthropicWire.json(model, 200, AnthropicWire.message(model, """
        [{"type":"text","text":"I'll store that."},
         {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"store_fact","input":{"entity":"svc-a","ttlSeconds":30}}]""", "tool_use", 40, 22));
        generate(tenant(), """
        {"provider":"anthropic","model":"%s","messages":[{"role":"user","content":"remember svc-a is slow"}],
         "tools":[{"name":"store_fact","description":"Store a fact","parameters":{"type":"object",
           "properties":{"entity":{"type":"string"},"ttlSeconds":{"type":"integer"}},"required":["entity"]}}]}
        """.formatted(model))
                .then()
                .statusCode(200)
                .body("finishReason", equalTo("tool_calls"))
                .body("text", equalTo("I'll store that."))
                .body("toolCalls.size()", equalTo(1))
                .body("toolCalls[0].id", equalTo("toolu_01A09q90qw90lq917835lq9"))
                .body("toolCalls[0].name", equalTo("store_fact"))
                .body("toolCalls[0].arguments.entity", equalTo("svc-a"))
                .body("toolCalls[0].arguments.ttlSeconds", equalTo(30));
        JsonNode tools = JSON.readTree(sent(model).get(0).getBodyAsString()).path("tools");
        assertThat(tools).hasSize(1);
        assertThat(tools.get(0).path("name").asText()).isEqualTo("store_fact");
        assertThat(tools.get(0).path("input_schema").path("type").asText()).isEqualTo("object");
        assertThat(tools.get(0)
                        .path("input_schema")
                        .path("properties")
                        .path("ttlSeconds")
                        .path("type")
                        .asText())
                .isEqualTo("integer");
        assertThat(tools.get(0).path("input_schema").path("required").toString())
                .isEqualTo("[\"entity\"]");
    }

    @Test
    void parallelToolUseAndToolResultRoundTrip() throws Exception {
        String model = model();
        AnthropicWire.json(model, 200, AnthropicWire.message(model, """
        [{"type":"tool_use","id":"toolu_a","name":"read_metrics","input":{"service":"a"}},
         {"type":"tool_use","id":"toolu_b","name":"read_metrics","input":{"service":"b","window":{"minutes":5}}}]""", "tool_use", 50, 30));
        generate(tenant(), """
        {"provider":"anthropic","model":"%s","messages":[{"role":"user","content":"check z, then a and b"},
          {"role":"assistant","content":"checking z","toolCalls":[{"id":"toolu_z","name":"read_metrics","arguments":{"service":"z"}}]},
          {"role":"tool","toolCallId":"toolu_z","content":"z is fine"}],
         "tools":[{"name":"read_metrics","description":"Read metrics","parameters":{"type":"object",
           "properties":{"service":{"type":"string"},"window":{"type":"object","properties":{"minutes":{"type":"integer"}}}},
           "required":["service"]}}]}
        """.formatted(model))
                .then()
                .statusCode(200)
                .body("toolCalls.size()", equalTo(2))
                .body("toolCalls[0].id", equalTo("toolu_a"))
                .body("toolCalls[1].id", equalTo("toolu_b"))
                .body("toolCalls[1].arguments.window.minutes", equalTo(5))
                .body("usage.totalTokens", equalTo(80));
        JsonNode messages = JSON.readTree(sent(model).get(0).getBodyAsString()).path("messages");
        assertThat(messages).hasSize(3);
        JsonNode assistant = messages.get(1);
        assertThat(assistant.path("role").asText()).isEqualTo("assistant");
        assertThat(assistant.toString()).contains("\"type\":\"tool_use\"").contains("\"id\":\"toolu_z\"");
        JsonNode result = messages.get(2);
        assertThat(result.path("role").asText()).isEqualTo("user");
        assertThat(result.toString())
                .contains("\"type\":\"tool_result\"")
                .contains("\"tool_use_id\":\"toolu_z\"")
                .contains("z is fine");
    }

    @Test
    void streamsTextFromMessagesEvents() throws Exception {
        String model = model();
        AnthropicWire.sse(
                model,
                List.of(
                        AnthropicWire.messageStart(model, 25),
                        AnthropicWire.blockStart(0, "text"),
                        AnthropicWire.event("ping", "{\"type\": \"ping\"}"),
                        AnthropicWire.delta(0, "text", "Hel"),
                        AnthropicWire.delta(0, "text", "lo!"),
                        AnthropicWire.blockStop(0),
                        AnthropicWire.messageDelta("end_turn", 7),
                        AnthropicWire.messageStop()));
        String sse = streamedChat(tenant(), """
        {"model":"anthropic/%s","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}
        """.formatted(model));
        TestHttp.Streamed s = TestHttp.assemble(sse);
        assertThat(s.text()).isEqualTo("Hello!");
        assertThat(s.finish()).isEqualTo("stop");
        assertThat(s.usage().path("prompt_tokens").asInt()).isEqualTo(25);
        assertThat(s.usage().path("completion_tokens").asInt()).isEqualTo(7);
        assertThat(TestHttp.events(sse).get(TestHttp.events(sse).size() - 1)).isEqualTo("[DONE]");
        assertThat(JSON.readTree(sent(model).get(0).getBodyAsString())
                        .path("stream")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void streamsToolUseAssembledFromInputJsonDeltas() throws Exception {
        String model = model();
        AnthropicWire.sse(
                model,
                List.of(
                        AnthropicWire.messageStart(model, 30),
                        AnthropicWire.blockStart(0, "text"),
                        AnthropicWire.delta(0, "text", "Looking."),
                        AnthropicWire.blockStop(0),
                        AnthropicWire.event(
                                "content_block_start",
                                "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_s1\",\"name\":\"lookup\",\"input\":{}}}"),
                        AnthropicWire.event(
                                "content_block_delta",
                                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}"),
                        AnthropicWire.event(
                                "content_block_delta",
                                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\": \\\"sv\"}}"),
                        AnthropicWire.event(
                                "content_block_delta",
                                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"c-s\\\"}\"}}"),
                        AnthropicWire.blockStop(1),
                        AnthropicWire.messageDelta("tool_use", 12),
                        AnthropicWire.messageStop()));
        TestHttp.Streamed s = TestHttp.streamedLookup("anthropic/" + model);
        assertThat(s.text()).isEqualTo("Looking.");
        assertThat(s.finish()).isEqualTo("tool_calls");
        assertThat(s.toolCalls()).hasSize(1);
        assertThat(s.toolCalls().get(0).path("id").asText()).isEqualTo("toolu_s1");
        assertThat(s.toolCalls().get(0).path("function").path("name").asText()).isEqualTo("lookup");
        assertThat(s.toolArgument("q")).isEqualTo("svc-s");
    }

    @Test
    void unauthorizedNamesTheSettingAndNeverTheKey() {
        String model = model();
        AnthropicWire.json(model, 401, AnthropicWire.error("authentication_error", "invalid x-api-key"));
        String body = generate(tenant(), request(model, "hi"))
                .then()
                .statusCode(502)
                .contentType("application/problem+json")
                .body("type", equalTo("https://devloop.dev/problems/provider-credentials-rejected"))
                .body("detail", containsString("DEVLOOP_ANTHROPIC_API_KEY"))
                .extract()
                .asString();
        assertThat(body).doesNotContain(MultiProviderStub.ANTHROPIC_KEY);
        assertThat(sent(model)).hasSize(1);
    }

    @Test
    void rateLimitWithLongRetryAfterIsPassedOnNotWaited() {
        String model = model();
        AnthropicWire.respond(
                model,
                aResponse()
                        .withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("retry-after", "40")
                        .withBody(AnthropicWire.error(
                                "rate_limit_error",
                                "Number of request tokens has exceeded your per-minute rate limit")));
        generate(tenant(), request(model, "hi"))
                .then()
                .statusCode(429)
                .header("Retry-After", "40")
                .body("type", equalTo("https://devloop.dev/problems/provider-rate-limited"))
                .body("detail", containsString("per-minute rate limit"));
        assertThat(sent(model)).hasSize(1);
    }

    @Test
    void rateLimitWithShortRetryAfterIsWaitedAndRetried() {
        String model = model();
        String scenario = "rl-" + model;
        MultiProviderStub.server()
                .stubFor(post(urlEqualTo(AnthropicWire.PATH))
                        .inScenario(scenario)
                        .whenScenarioStateIs(Scenario.STARTED)
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                        .willReturn(aResponse()
                                .withStatus(429)
                                .withHeader("retry-after", "1")
                                .withBody(AnthropicWire.error("rate_limit_error", "slow down")))
                        .willSetStateTo("ok"));
        MultiProviderStub.server()
                .stubFor(post(urlEqualTo(AnthropicWire.PATH))
                        .inScenario(scenario)
                        .whenScenarioStateIs("ok")
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody(AnthropicWire.message(
                                        model,
                                        "[{\"type\":\"text\",\"text\":\"after the wait\"}]",
                                        "end_turn",
                                        3,
                                        3))));
        generate(tenant(), request(model, "hi")).then().statusCode(200).body("text", equalTo("after the wait"));
        assertThat(sent(model)).hasSize(2);
    }

    @Test
    void serverErrorIsRetriedThenBecomes502() {
        String model = model();
        AnthropicWire.json(model, 500, AnthropicWire.error("api_error", "Internal server error"));
        generate(tenant(), request(model, "hi"))
                .then()
                .statusCode(502)
                .body("type", equalTo("https://devloop.dev/problems/provider-error"))
                .body("detail", containsString("HTTP 500"));
        assertThat(sent(model)).hasSize(3);
    }

    @Test
    void overloaded529IsAnUpstreamError() {
        String model = model();
        AnthropicWire.json(model, 529, AnthropicWire.error("overloaded_error", "Overloaded"));
        generate(tenant(), request(model, "hi")).then().statusCode(502).body("detail", containsString("Overloaded"));
        assertThat(sent(model)).hasSize(3);
    }

    @Test
    void invalidRequestIsNotRetried() {
        String model = model();
        AnthropicWire.json(model, 400, AnthropicWire.error("invalid_request_error", "messages: roles must alternate"));
        generate(tenant(), request(model, "hi"))
                .then()
                .statusCode(502)
                .body("type", equalTo("https://devloop.dev/problems/provider-rejected-request"))
                .body("detail", containsString("roles must alternate"));
        assertThat(sent(model)).hasSize(1);
    }

    @Test
    void malformedJsonBecomes502() {
        String model = model();
        AnthropicWire.json(model, 200, "{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[{\"type\":\"te");
        generate(tenant(), request(model, "hi"))
                .then()
                .statusCode(502)
                .body("type", equalTo("https://devloop.dev/problems/provider-malformed-response"));
    }

    @Test
    void timeoutBecomes502Unreachable() {
        String model = model();
        AnthropicWire.respond(
                model,
                aResponse()
                        .withStatus(200)
                        .withFixedDelay(6000)
                        .withHeader("Content-Type", "application/json")
                        .withBody(AnthropicWire.message(
                                model, "[{\"type\":\"text\",\"text\":\"late\"}]", "end_turn", 1, 1)));
        generate(tenant(), request(model, "hi"))
                .then()
                .statusCode(502)
                .body("type", equalTo("https://devloop.dev/problems/provider-unreachable"));
    }

    @Test
    void bareClaudeModelNamesRouteToAnthropic() {
        String model = model();
        AnthropicWire.json(
                model,
                200,
                AnthropicWire.message(model, "[{\"type\":\"text\",\"text\":\"routed\"}]", "end_turn", 1, 1));
        generate(tenant(), "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .then()
                .statusCode(200)
                .body("provider", equalTo("anthropic"))
                .body("text", equalTo("routed"));
        AnthropicWire.json(
                "claude-listed-model",
                200,
                AnthropicWire.message(
                        "claude-listed-model", "[{\"type\":\"text\",\"text\":\"listed\"}]", "end_turn", 1, 1));
        generate(tenant(), "{\"model\":\"claude-listed-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .then()
                .statusCode(200)
                .body("provider", equalTo("anthropic"));
    }
}
