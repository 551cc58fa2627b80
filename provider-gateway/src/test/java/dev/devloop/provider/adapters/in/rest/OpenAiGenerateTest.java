package dev.devloop.provider.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.EventGate;
import dev.devloop.contracts.events.UsageBatches;
import dev.devloop.contracts.identity.testing.TestCredentials;
import dev.devloop.provider.support.CommonStubs;
import dev.devloop.provider.support.OpenAiStub;
import dev.devloop.provider.support.UsageTopic;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/generate} against WireMock answering in OpenAI's chat-completions format. */
@QuarkusTest
@WithTestResource(CommonStubs.class)
class OpenAiGenerateTest {
    @Inject
    EventGate eventGate;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/v1/chat/completions";

    private static WireMockServer wm() {
        return OpenAiStub.server();
    }

    /** A "hi" to {@code model} is refused with {@code status} and the problem {@code slug}. */
    private static ValidatableResponse refused(String model, int status, String slug) {
        return generate(tenant(), userRequest(model, "hi"))
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("https://devloop.dev/problems/" + slug));
    }

    /** OpenAI was called exactly {@code times} for {@code model} (each test's model is its own). */
    private static void assertCalls(int times, String model) {
        wm().verify(
                        times,
                        postRequestedFor(urlEqualTo(PATH))
                                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model))));
    }

    private static String tenant() {
        return "t-" + UUID.randomUUID();
    }

    private static String model() {
        return "m-" + UUID.randomUUID();
    }

    /** An OpenAI chat.completion body. */
    static String completion(String model, String message, String finish, int in, int out) {
        return """
        {"id":"chatcmpl-%s","object":"chat.completion","created":1764000000,"model":"%s",
         "choices":[{"index":0,"message":%s,"logprobs":null,"finish_reason":"%s"}],
         "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d},
         "system_fingerprint":"fp_test"}
        """.formatted(UUID.randomUUID(), model, message, finish, in, out, in + out);
    }

    private static void stub(String model, int status, String body) {
        wm().stubFor(post(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    private static JsonNode sent(String model) throws Exception {
        List<LoggedRequest> requests = wm().findAll(postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model))));
        assertThat(requests).hasSize(1);
        return JSON.readTree(requests.get(0).getBodyAsString());
    }

    private static Response generate(String tenant, String body) {
        return given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant)
                .body(body)
                .when()
                .post("/v1/generate");
    }

    private static String userRequest(String model, String text) {
        return """
        {"model":"%s","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"%s"}],
         "options":{"temperature":0.2,"maxTokens":64},"agentId":"agent-1"}
        """.formatted(model, text);
    }

    @Test
    void plainTextAnswerWithUsage() throws Exception {
        String model = model();
        stub(
                model,
                200,
                completion(model + "-2024", "{\"role\":\"assistant\",\"content\":\"Hello there\"}", "stop", 12, 3));

        generate(tenant(), userRequest(model, "hi"))
                .then()
                .statusCode(200)
                .body("text", equalTo("Hello there"))
                .body("toolCalls", org.hamcrest.Matchers.empty())
                .body("usage.inputTokens", equalTo(12))
                .body("usage.outputTokens", equalTo(3))
                .body("usage.totalTokens", equalTo(15))
                .body("model", equalTo(model + "-2024"))
                .body("provider", equalTo("openai"))
                .body("finishReason", equalTo("stop"))
                .body("cached", equalTo(false));

        JsonNode sent = sent(model);
        assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(sent.path("messages").get(1).path("content").asText()).isEqualTo("hi");
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.has("tools")).isFalse();
        LoggedRequest raw = wm().findAll(postRequestedFor(urlEqualTo(PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model))))
                .get(0);
        assertThat(raw.getHeader("Authorization")).isEqualTo("Bearer " + OpenAiStub.KEY);
    }

    @Test
    void singleToolCallWithToolsSent() throws Exception {
        String model = model();
        String message = """
        {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
         "function":{"name":"store_fact","arguments":"{\\"entity\\":\\"svc-a\\",\\"attribute\\":\\"status\\",\\"ttlSeconds\\":30}"}}]}
        """;
        stub(model, 200, completion(model, message, "tool_calls", 40, 20));
        String body = """
        {"model":"%s","messages":[{"role":"user","content":"remember svc-a is slow"}],
         "tools":[{"name":"store_fact","description":"Store a fact","parameters":{"type":"object",
           "properties":{"entity":{"type":"string","description":"entity id"},"attribute":{"type":"string"},
             "ttlSeconds":{"type":"integer"},"tier":{"type":"string","enum":["short","medium","long"]},
             "tags":{"type":"array","items":{"type":"string"}},
             "meta":{"type":"object","properties":{"source":{"type":"string"}},"required":["source"]},
             "email":{"type":"string","format":"email"}},
           "required":["entity","attribute"]}}]}
        """.formatted(model);

        generate(tenant(), body)
                .then()
                .statusCode(200)
                .body("finishReason", equalTo("tool_calls"))
                .body("text", nullValue())
                .body("toolCalls[0].id", equalTo("call_1"))
                .body("toolCalls[0].name", equalTo("store_fact"))
                .body("toolCalls[0].arguments.entity", equalTo("svc-a"))
                .body("toolCalls[0].arguments.ttlSeconds", equalTo(30));

        JsonNode tools = sent(model).path("tools");
        assertThat(tools).hasSize(1);
        JsonNode fn = tools.get(0).path("function");
        assertThat(tools.get(0).path("type").asText()).isEqualTo("function");
        assertThat(fn.path("name").asText()).isEqualTo("store_fact");
        assertThat(fn.path("description").asText()).isEqualTo("Store a fact");
        JsonNode params = fn.path("parameters");
        assertThat(params.path("type").asText()).isEqualTo("object");
        assertThat(params.path("properties").path("entity").path("type").asText())
                .isEqualTo("string");
        assertThat(params.path("properties").path("entity").path("description").asText())
                .isEqualTo("entity id");
        assertThat(params.path("properties").path("ttlSeconds").path("type").asText())
                .isEqualTo("integer");
        assertThat(params.path("properties").path("tier").path("enum").toString())
                .isEqualTo("[\"short\",\"medium\",\"long\"]");
        assertThat(params.path("properties")
                        .path("tags")
                        .path("items")
                        .path("type")
                        .asText())
                .isEqualTo("string");
        assertThat(params.path("properties").path("meta").path("required").toString())
                .isEqualTo("[\"source\"]");
        assertThat(params.path("properties").path("email").path("format").asText())
                .isEqualTo("email");
        assertThat(params.path("required").toString()).isEqualTo("[\"entity\",\"attribute\"]");
    }

    @Test
    void parallelToolCallsParsedToObjects() {
        String model = model();
        String message = """
        {"role":"assistant","content":null,"tool_calls":[
          {"id":"call_a","type":"function","function":{"name":"read_metrics","arguments":"{\\"service\\":\\"a\\"}"}},
          {"id":"call_b","type":"function","function":{"name":"read_metrics","arguments":"{\\"service\\":\\"b\\",\\"window\\":{\\"minutes\\":5}}"}}]}
        """;
        stub(model, 200, completion(model, message, "tool_calls", 50, 30));
        String body = """
        {"model":"%s","messages":[{"role":"user","content":"check a and b"}],
         "tools":[{"name":"read_metrics","description":"Read metrics","parameters":{"type":"object",
           "properties":{"service":{"type":"string"},"window":{"type":"object","properties":{"minutes":{"type":"integer"}}}},
           "required":["service"]}}]}
        """.formatted(model);

        generate(tenant(), body)
                .then()
                .statusCode(200)
                .body("toolCalls.size()", equalTo(2))
                .body("toolCalls[0].id", equalTo("call_a"))
                .body("toolCalls[0].arguments.service", equalTo("a"))
                .body("toolCalls[1].id", equalTo("call_b"))
                .body("toolCalls[1].arguments.window.minutes", equalTo(5))
                .body("usage.totalTokens", equalTo(80));
    }

    @Test
    void toolResultRoundTripIsSentWithToolCallIds() throws Exception {
        String model = model();
        stub(model, 200, completion(model, "{\"role\":\"assistant\",\"content\":\"Stored.\"}", "stop", 60, 2));
        String body = """
        {"model":"%s","messages":[
          {"role":"user","content":"remember"},
          {"role":"assistant","toolCalls":[{"id":"call_1","name":"store_fact","arguments":{"entity":"e1"}},
                                           {"id":"call_2","name":"store_fact","arguments":{"entity":"e2"}}]},
          {"role":"tool","toolCallId":"call_1","name":"store_fact","content":"{\\"stored\\":true}"},
          {"role":"tool","toolCallId":"call_2","content":"ok"}],
         "tools":[{"name":"store_fact","description":"Store","parameters":{"type":"object","properties":{"entity":{"type":"string"}}}}]}
        """.formatted(model);

        generate(tenant(), body)
                .then()
                .statusCode(200)
                .body("text", equalTo("Stored."))
                .body("finishReason", equalTo("stop"));

        JsonNode messages = sent(model).path("messages");
        assertThat(messages).hasSize(4);
        JsonNode assistant = messages.get(1);
        assertThat(assistant.path("role").asText()).isEqualTo("assistant");
        assertThat(assistant.path("tool_calls")).hasSize(2);
        assertThat(assistant.path("tool_calls").get(0).path("id").asText()).isEqualTo("call_1");
        assertThat(assistant.path("tool_calls").get(0).path("type").asText()).isEqualTo("function");
        assertThat(assistant
                        .path("tool_calls")
                        .get(0)
                        .path("function")
                        .path("name")
                        .asText())
                .isEqualTo("store_fact");
        assertThat(JSON.readTree(assistant
                                .path("tool_calls")
                                .get(1)
                                .path("function")
                                .path("arguments")
                                .asText())
                        .path("entity")
                        .asText())
                .isEqualTo("e2");
        assertThat(messages.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(messages.get(2).path("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(messages.get(2).path("content").asText()).isEqualTo("{\"stored\":true}");
        assertThat(messages.get(3).path("tool_call_id").asText()).isEqualTo("call_2");
        assertThat(messages.get(3).path("content").asText()).isEqualTo("ok");
    }

    @Test
    void finishReasonsAreNormalised() {
        String[][] cases = {{"length", "length"}, {"content_filter", "content_filter"}, {"stop", "stop"}};
        for (String[] c : cases) {
            String model = model();
            stub(model, 200, completion(model, "{\"role\":\"assistant\",\"content\":\"x\"}", c[0], 1, 1));
            generate(tenant(), userRequest(model, "go")).then().statusCode(200).body("finishReason", equalTo(c[1]));
        }
    }

    @Test
    void unauthorizedBecomes502WithoutLeakingTheKey() {
        String model = model();
        stub(
                model,
                401,
                "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-***\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
        String body = refused(model, 502, "provider-credentials-rejected")
                .body("detail", containsString("rejected credentials"))
                .extract()
                .asString();
        assertThat(body).doesNotContain(OpenAiStub.KEY);
    }

    @Test
    void rateLimitPassesRetryAfterOn() {
        String model = model();
        wm().stubFor(
                        post(urlEqualTo(PATH))
                                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                                .willReturn(
                                        aResponse()
                                                .withStatus(429)
                                                .withHeader("Content-Type", "application/json")
                                                .withHeader("Retry-After", "17")
                                                .withBody(
                                                        "{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}")));
        generate(tenant(), userRequest(model, "hi"))
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", "17")
                .body("type", equalTo("https://devloop.dev/problems/provider-rate-limited"))
                .body("detail", containsString("Rate limit reached"));
        assertCalls(1, model);
    }

    @Test
    void serverErrorIsRetriedThenBecomes502() {
        String model = model();
        stub(
                model,
                500,
                "{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}");
        refused(model, 502, "provider-error")
                .body("detail", containsString("HTTP 500"))
                .body("detail", containsString("server had an error"));
        assertCalls(3, model);
    }

    @Test
    void transientErrorIsRetriedToSuccess() {
        String model = model();
        String scenario = "flaky-" + model;
        wm().stubFor(post(urlEqualTo(PATH))
                .inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                .willReturn(aResponse().withStatus(503).withBody("{\"error\":{\"message\":\"overloaded\"}}"))
                .willSetStateTo("recovered"));
        wm().stubFor(post(urlEqualTo(PATH))
                .inScenario(scenario)
                .whenScenarioStateIs("recovered")
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(completion(
                                model, "{\"role\":\"assistant\",\"content\":\"second time lucky\"}", "stop", 2, 3))));
        generate(tenant(), userRequest(model, "hi")).then().statusCode(200).body("text", equalTo("second time lucky"));
        assertCalls(2, model);
    }

    @Test
    void badRequestUpstreamIsNotRetried() {
        String model = model();
        stub(
                model,
                404,
                "{\"error\":{\"message\":\"The model does not exist\",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}");
        generate(tenant(), userRequest(model, "hi"))
                .then()
                .statusCode(502)
                .body("type", equalTo("https://devloop.dev/problems/provider-rejected-request"))
                .body("detail", containsString("model does not exist"));
        assertCalls(1, model);
    }

    @Test
    void malformedJsonBecomes502() {
        String model = model();
        stub(model, 200, "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assist");
        refused(model, 502, "provider-malformed-response").body("detail", containsString("not valid JSON of its API"));
    }

    @Test
    void timeoutBecomes502() {
        String model = model();
        wm().stubFor(post(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withFixedDelay(4000)
                        .withHeader("Content-Type", "application/json")
                        .withBody(completion(model, "{\"role\":\"assistant\",\"content\":\"late\"}", "stop", 1, 1))));
        refused(model, 502, "provider-unreachable").body("detail", containsString("did not answer within 2 s"));
    }

    @Test
    void invalidInputIs400NamingTheField() {
        String t = tenant();
        generate(t, "{\"messages\":[]}")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("messages"));
        generate(t, "{}").then().statusCode(400).body("field", equalTo("messages"));
        generate(t, "{\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}")
                .then()
                .statusCode(400)
                .body("field", equalTo("messages[0].role"));
        generate(t, "{\"provider\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .then()
                .statusCode(400)
                .body("field", equalTo("provider"));
        generate(
                        t,
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"name\":\"f\",\"parameters\":{\"type\":\"string\"}}]}")
                .then()
                .statusCode(400)
                .body("field", equalTo("tools[0].parameters"));
        generate(t, "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/v1/generate")
                .then()
                .statusCode(400)
                .body("field", equalTo(Headers.TENANT));
    }

    @Test
    void contentAboveTheConfiguredBoundIs400() {
        String big = "x".repeat(1_000_001);
        generate(tenant(), "{\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}")
                .then()
                .statusCode(400)
                .body("field", equalTo("messages"))
                .body("detail", containsString("too large"));
    }

    @Test
    void bodyAboveTheHttpLimitIs413() throws Exception {
        // announce a 5 MB body (limit 4M): the server answers before reading it
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            String tenant = tenant();
            String head = "POST /v1/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: " + TestCredentials.bearer("provider-gateway", tenant) + "\r\n"
                    + Headers.TENANT + ": " + tenant + "\r\nContent-Length: " + (5 * 1024 * 1024) + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void metricsCountTokensAndTimeCalls() {
        String model = model();
        stub(model, 200, completion(model, "{\"role\":\"assistant\",\"content\":\"ok\"}", "stop", 21, 4));
        generate(tenant(), userRequest(model, "count me")).then().statusCode(200);
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("devloop_provider_tokens_total\\{[^}]*direction=\"input\"[^}]*model=\"" + model
                        + "\"[^}]*} 21\\.0");
        assertThat(metrics)
                .containsPattern("devloop_provider_tokens_total\\{[^}]*direction=\"output\"[^}]*model=\"" + model
                        + "\"[^}]*} 4\\.0");
        assertThat(metrics)
                .containsPattern("devloop_provider_request_seconds_count\\{[^}]*model=\"" + model
                        + "\"[^}]*outcome=\"success\"[^}]*} 1\\.0");
    }

    @Inject
    RedisDataSource redis;

    @Test
    void deterministicRequestIsServedFromRedisAndNoCacheBypasses() {
        String model = model();
        String tenant = tenant();
        stub(model, 200, completion(model, "{\"role\":\"assistant\",\"content\":\"cached answer\"}", "stop", 8, 2));
        String body = """
        {"model":"%s","messages":[{"role":"user","content":"what is 2+2?"}],"options":{"temperature":0}}
        """.formatted(model);
        generate(tenant, body)
                .then()
                .statusCode(200)
                .body("cached", equalTo(false))
                .body("text", equalTo("cached answer"));
        generate(tenant, body)
                .then()
                .statusCode(200)
                .body("cached", equalTo(true))
                .body("text", equalTo("cached answer"))
                .body("usage.totalTokens", equalTo(10))
                .body("model", equalTo(model));
        assertCalls(1, model);

        List<String> keys = new ArrayList<>();
        redis.key()
                .scan(new KeyScanArgs().match("devloop:provider:cache:" + tenant + ":*"))
                .toIterable()
                .forEach(keys::add);
        assertThat(keys).hasSize(1);
        assertThat(redis.key().pttl(keys.get(0))).isPositive();

        // another tenant never sees this tenant's entry
        generate(tenant(), body).then().statusCode(200).body("cached", equalTo(false));
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant)
                .header("Cache-Control", "no-cache")
                .body(body)
                .post("/v1/generate")
                .then()
                .statusCode(200)
                .body("cached", equalTo(false));
        assertCalls(3, model);

        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern(
                        "devloop_provider_cache_total\\{[^}]*model=\"" + model + "\"[^}]*result=\"hit\"[^}]*} 1\\.0");
        assertThat(metrics)
                .containsPattern("devloop_provider_cache_total\\{[^}]*model=\"" + model
                        + "\"[^}]*result=\"bypass\"[^}]*} 1\\.0");
    }

    @Test
    void deleteCacheDropsOnlyTheCallersAnswers() {
        String model = model();
        String mine = tenant();
        String theirs = tenant();
        stub(model, 200, completion(model, "{\"role\":\"assistant\",\"content\":\"to be dropped\"}", "stop", 3, 2));
        String body = """
        {"model":"%s","messages":[{"role":"user","content":"cache me"}],"options":{"temperature":0}}
        """.formatted(model);
        generate(mine, body).then().statusCode(200).body("cached", equalTo(false));
        generate(theirs, body).then().statusCode(200).body("cached", equalTo(false));

        given().header(Headers.TENANT, mine)
                .when()
                .delete("/v1/cache")
                .then()
                .statusCode(200)
                .body("cache", equalTo("provider-responses"))
                .body("tenant", equalTo(mine))
                .body("dropped", equalTo(1));
        generate(mine, body).then().statusCode(200).body("cached", equalTo(false));
        generate(theirs, body).then().statusCode(200).body("cached", equalTo(true));
        given().when()
                .delete("/v1/cache")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo(Headers.TENANT));
        // a malformed tenant can only come in a token now, and the token is refused before any route
        given().header(Headers.TENANT, "a*")
                .when()
                .delete("/v1/cache")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("detail", startsWith("the token's tenant must match"));
    }

    @Test
    void nonDeterministicRequestIsNotCachedUnlessOptedIn() {
        String model = model();
        String tenant = tenant();
        stub(model, 200, completion(model, "{\"role\":\"assistant\",\"content\":\"fresh\"}", "stop", 1, 1));
        String body =
                "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"options\":{\"temperature\":0.7}}"
                        .formatted(model);
        generate(tenant, body).then().body("cached", equalTo(false));
        generate(tenant, body).then().body("cached", equalTo(false));
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant)
                .header("X-Devloop-Cache", "true")
                .body(body)
                .post("/v1/generate")
                .then()
                .statusCode(200)
                .body("cached", equalTo(false));
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant)
                .header("X-Devloop-Cache", "true")
                .body(body)
                .post("/v1/generate")
                .then()
                .statusCode(200)
                .body("cached", equalTo(true));
        assertCalls(3, model);
    }

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafkaBootstrap;

    @Test
    void usageIsRecordedInMongoAndPublishedOnKafka() throws Exception {
        String model = model();
        String tenant = tenant();
        stub(model, 200, completion(model, "{\"role\":\"assistant\",\"content\":\"ledger\"}", "stop", 13, 5));
        try (UsageTopic topic = new UsageTopic(kafkaBootstrap, eventGate)) {
            generate(tenant, userRequest(model, "count")).then().statusCode(200);

            Document doc = null;
            for (int i = 0; i < 100 && doc == null; i++) {
                doc = mongo.getDatabase("devloop_providers")
                        .getCollection("usage")
                        .find(Filters.eq("tenant", tenant))
                        .first();
                if (doc == null) {
                    Thread.sleep(100);
                }
            }
            assertThat(doc).isNotNull();
            assertThat(doc.getString("model")).isEqualTo(model);
            assertThat(doc.getString("agentId")).isEqualTo("agent-1");
            assertThat(((Number) doc.get("totalTokens")).longValue()).isEqualTo(18);

            // usage travels in signed per-tenant batches (contracts UsageBatches): this call is the tenant's one record
            List<UsageTopic.Batch> batches = topic.until(
                    Set.of(tenant), seen -> !UsageTopic.records(seen, tenant).isEmpty(), Duration.ofSeconds(60));
            List<CloudEvent> records = UsageTopic.records(batches, tenant);
            assertThat(records)
                    .as("usage event for %s on devloop.provider.usage", tenant)
                    .hasSize(1);
            // signed as provider-gateway for its topic: what the gateway's live-events consumer checks
            assertThat(batches).allSatisfy(b -> assertThat(b.producer()).isEqualTo("provider-gateway"));
            assertThat(batches.get(0).event().specversion()).isEqualTo("1.0");
            assertThat(batches.get(0).event().type()).isEqualTo(UsageBatches.TYPE);
            CloudEvent event = records.get(0);
            assertThat(event.id()).isEqualTo(doc.getString("_id"));
            assertThat(event.type()).isEqualTo("dev.devloop.provider.usage");
            assertThat(event.source()).isEqualTo("/devloop/provider-gateway");
            assertThat(event.tenant()).isEqualTo(tenant);
            assertThat(event.data().path("model").asText()).isEqualTo(model);
            assertThat(event.data().path("inputTokens").asLong()).isEqualTo(13);
            assertThat(event.data().path("outputTokens").asLong()).isEqualTo(5);
        }
    }
}
