package dev.devloop.provider.adapters.in.rest;

import static dev.devloop.provider.adapters.in.rest.TestHttp.generate;
import static dev.devloop.provider.adapters.in.rest.TestHttp.tenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.Headers;
import dev.devloop.provider.support.CommonStubs;
import dev.devloop.provider.support.TinyLocalModel;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code local} provider end to end: {@code POST /v1/generate} with {@code provider:"local"}
 * on a GGUF the test writes ({@link TinyLocalModel}), loaded by the real java-llama.cpp.
 */
@QuarkusTest
@WithTestResource(CommonStubs.class)
class LocalProviderTest {

    @Test
    void toolCallComesFromGrammarConstrainedOutput() throws Exception {
        JsonPath answer = generate(tenant(), """
        {"provider":"local","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"store that svc-a is slow"}],
         "tools":[{"name":"store_fact","description":"Store a fact","parameters":{"type":"object",
           "properties":{"entity":{"type":"string","pattern":"^[a-z0-9-]{1,12}$"},"ttlSeconds":{"type":"integer"}},
           "required":["entity","ttlSeconds"],"additionalProperties":false}}],
         "options":{"temperature":0},"agentId":"agent-local"}""")
                .then()
                .statusCode(200)
                .body("provider", equalTo("local"))
                .body("model", equalTo(TinyLocalModel.MODEL))
                .body("finishReason", equalTo("tool_calls"))
                .body("text", nullValue())
                .body("usage.inputTokens", greaterThan(0))
                .body("usage.outputTokens", greaterThan(0))
                .extract()
                .jsonPath();
        assertThat(answer.getList("toolCalls")).hasSize(1);
        assertThat(answer.getString("toolCalls[0].name")).isEqualTo("store_fact");
        assertThat(answer.getString("toolCalls[0].id")).startsWith("call_");
        JsonNode args = TestHttp.JSON.valueToTree(answer.getMap("toolCalls[0].arguments"));
        assertThat(args.path("entity").isTextual()).isTrue();
        assertThat(args.path("entity").asText()).matches("[a-z0-9-]{1,12}");
        assertThat(args.path("ttlSeconds").isIntegralNumber()).isTrue();
        assertThat(args.size()).isEqualTo(2);
    }

    @Test
    void plainTextGenerationReturnsTokensAndMapsTheFinishReason() {
        // 6 tokens at most: the random model either stops (its end token) or hits the limit
        String finish = generate(tenant(), """
        {"provider":"local","model":"%s","messages":[{"role":"user","content":"hello"}],"options":{"temperature":0,"maxTokens":6}}
        """.formatted(TinyLocalModel.MODEL))
                .then()
                .statusCode(200)
                .body("provider", equalTo("local"))
                .body("finishReason", in(List.of("stop", "length")))
                .body("usage.inputTokens", greaterThan(0))
                .extract()
                .path("finishReason");
        if ("length".equals(finish)) {
            generate(
                            tenant(),
                            "{\"provider\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],"
                                    + "\"options\":{\"temperature\":0,\"maxTokens\":6}}")
                    .then()
                    .statusCode(200)
                    .body("usage.outputTokens", greaterThan(0));
        }
    }

    @Test
    void streamsThroughTheOpenAiSurface() {
        String sse = TestHttp.chat(tenant(), """
        {"model":"local/%s","stream":true,"messages":[{"role":"user","content":"hello"}],"max_tokens":8,"temperature":0}
        """.formatted(TinyLocalModel.MODEL))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<String> events = TestHttp.events(sse);
        assertThat(events).last().isEqualTo("[DONE]");
        assertThat(events.stream()
                        .filter(e ->
                                e.contains("\"finish_reason\":\"stop\"") || e.contains("\"finish_reason\":\"length\"")))
                .isNotEmpty();
    }

    @Test
    void listedAndUnknownModelsRejected() {
        given().header(Headers.TENANT, tenant())
                .get("/v1/providers")
                .then()
                .statusCode(200)
                .body("providers.find { it.name == 'local' }.configured", equalTo(true))
                .body("providers.find { it.name == 'local' }.defaultModel", equalTo(TinyLocalModel.MODEL));
        generate(
                        tenant(),
                        "{\"provider\":\"local\",\"model\":\"other-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .then()
                .statusCode(502)
                .body("type", equalTo("https://devloop.dev/problems/provider-rejected-request"));
    }
}
