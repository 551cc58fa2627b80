package dev.devloop.provider.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.devloop.provider.adapters.in.rest.TestHttp.JSON;
import static dev.devloop.provider.adapters.in.rest.TestHttp.chat;
import static dev.devloop.provider.adapters.in.rest.TestHttp.generate;
import static dev.devloop.provider.adapters.in.rest.TestHttp.tenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.devloop.contracts.Headers;
import dev.devloop.provider.adapters.out.redis.RedisSpend;
import dev.devloop.provider.support.AnthropicWire;
import dev.devloop.provider.support.GeminiWire;
import dev.devloop.provider.support.MultiProviderStub;
import dev.devloop.provider.support.OpenAiWireStubs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Cross-provider policies against WireMock in each provider's wire format: alias fallback chains,
 * cost estimates, budgets, PII redaction, the response validator, RAG prompts and embeddings.
 */
@QuarkusTest
@WithTestResource(MultiProviderStub.class)
class RoutingPoliciesTest {
    @Inject
    RedisDataSource redis;

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "devloop.provider.database")
    String database;

    private static int calls(String path, String model) {
        return MultiProviderStub.server()
                .findAll(postRequestedFor(urlEqualTo(path))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model))))
                .size();
    }

    private static void openai(String model, int status, String body) {
        MultiProviderStub.server()
                .stubFor(post(urlEqualTo(OpenAiWireStubs.PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                        .willReturn(aResponse()
                                .withStatus(status)
                                .withHeader("Content-Type", "application/json")
                                .withBody(body)));
    }

    @Test
    void aliasFallsBackAcrossProvidersOnRateLimitAndServerErrors() {
        AnthropicWire.respond(
                "claude-smart",
                aResponse()
                        .withStatus(429)
                        .withHeader("retry-after", "60")
                        .withBody(AnthropicWire.error("rate_limit_error", "rate limited")));
        openai("gpt-smart", 503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
        GeminiWire.json(
                "gemini-smart",
                200,
                GeminiWire.response("gemini-smart", "[{\"text\":\"gemini saved the day\"}]", "STOP", 4, 4));
        generate(tenant(), "{\"model\":\"smart\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .then()
                .statusCode(200)
                .body("provider", equalTo("gemini"))
                .body("text", equalTo("gemini saved the day"));
        assertThat(calls(AnthropicWire.PATH, "claude-smart")).isEqualTo(1); // Retry-After 60 s > bound: not waited
        assertThat(calls(OpenAiWireStubs.PATH, "gpt-smart")).isEqualTo(3); // 503 retried twice, then fallback
        assertThat(MultiProviderStub.server().findAll(postRequestedFor(urlEqualTo(GeminiWire.path("gemini-smart")))))
                .hasSize(1);
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern(
                        "devloop_provider_fallbacks_total\\{alias=\"smart\",from=\"anthropic\",kind=\"rate_limited\",to=\"openai\"[^}]*} [1-9]");
        assertThat(metrics)
                .containsPattern(
                        "devloop_provider_fallbacks_total\\{alias=\"smart\",from=\"openai\",kind=\"upstream_error\",to=\"gemini\"[^}]*} [1-9]");
        assertThat(metrics)
                .containsPattern(
                        "devloop_provider_retries_total\\{kind=\"upstream_error\",provider=\"openai\"[^}]*} [1-9]");
    }

    @Test
    void aliasDoesNotFallBackWhenTheRequestItselfIsRejected() {
        AnthropicWire.json(
                "claude-strict", 400, AnthropicWire.error("invalid_request_error", "tools.0.input_schema: invalid"));
        generate(tenant(), "{\"model\":\"strict\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .then()
                .statusCode(502)
                .body("type", equalTo("https://devloop.dev/problems/provider-rejected-request"));
        assertThat(calls(OpenAiWireStubs.PATH, "gpt-strict")).isZero();
    }

    @Test
    void streamingFallsBackBeforeTheFirstToken() throws Exception {
        MultiProviderStub.server()
                .stubFor(post(urlEqualTo(GeminiWire.streamPath("gemini-fast")))
                        .willReturn(aResponse()
                                .withStatus(503)
                                .withHeader("Content-Type", "application/json")
                                .withBody(GeminiWire.error(503, "UNAVAILABLE", "The model is overloaded"))));
        AnthropicWire.sse(
                "claude-fast",
                List.of(
                        AnthropicWire.messageStart("claude-fast", 5),
                        AnthropicWire.blockStart(0, "text"),
                        AnthropicWire.delta(0, "text", "claude streams"),
                        AnthropicWire.blockStop(0),
                        AnthropicWire.messageDelta("end_turn", 2),
                        AnthropicWire.messageStop()));
        String sse = chat(
                        tenant(),
                        "{\"model\":\"fast\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        TestHttp.Streamed s = TestHttp.assemble(sse);
        assertThat(s.error()).isNull();
        assertThat(s.text()).isEqualTo("claude streams");
        assertThat(s.finish()).isEqualTo("stop");
    }

    @Test
    void modelsAndProvidersListAllProvidersAndAliases() {
        given().header(Headers.TENANT, tenant())
                .get("/v1/models")
                .then()
                .statusCode(200)
                .body("data.id", hasItem("smart"))
                .body("data.id", hasItem("anthropic/claude-sonnet-4-5"))
                .body("data.id", hasItem("gemini/gemini-2.0-flash"))
                .body(
                        "data.find { it.id == 'smart' }.fallback_chain",
                        equalTo(List.of("anthropic/claude-smart", "openai/gpt-smart", "gemini/gemini-smart")));
        given().header(Headers.TENANT, tenant())
                .get("/v1/providers")
                .then()
                .statusCode(200)
                .body("providers.name", equalTo(List.of("openai", "anthropic", "gemini", "vertex", "local")))
                .body("providers.find { it.name == 'anthropic' }.configured", equalTo(true))
                .body("aliases.strict", equalTo(List.of("anthropic/claude-strict", "openai/gpt-strict")));
    }

    @Test
    void costIsEstimatedFromThePriceTableIntoLedgerAndMetrics() {
        String model = TestHttp.unique("claude-priced");
        String tenant = tenant();
        AnthropicWire.json(
                model,
                200,
                AnthropicWire.message(model, "[{\"type\":\"text\",\"text\":\"priced\"}]", "end_turn", 1000, 2000));
        generate(
                        tenant,
                        "{\"provider\":\"anthropic\",\"model\":\"" + model
                                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .then()
                .statusCode(200);
        // 1000 × $3/M + 2000 × $15/M = $0.033
        Document doc = null;
        for (int i = 0; i < 50 && doc == null; i++) {
            doc = mongo.getDatabase(database)
                    .getCollection("usage")
                    .find(Filters.eq("tenant", tenant))
                    .first();
            if (doc == null) {
                sleep(100);
            }
        }
        assertThat(doc).isNotNull();
        assertThat(doc.getDouble("costUsd")).isCloseTo(0.033, org.assertj.core.data.Offset.offset(1e-9));
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("devloop_provider_cost_usd_total\\{model=\"" + model
                        + "\",provider=\"anthropic\"[^}]*} 0\\.033");
    }

    @Test
    void budgetRefusesWith429BeforeCallingTheProvider() {
        String tenant = MultiProviderStub.BUDGET_TENANT;
        redis.key().del(RedisSpend.key(tenant, YearMonth.now(ZoneOffset.UTC).toString()));
        String model = TestHttp.unique("claude-priced");
        AnthropicWire.json(
                model,
                200,
                AnthropicWire.message(model, "[{\"type\":\"text\",\"text\":\"ok\"}]", "end_turn", 1000, 2000));
        String body = "{\"provider\":\"anthropic\",\"model\":\"" + model
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        generate(tenant, body).then().statusCode(200);
        generate(tenant, body)
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("https://devloop.dev/problems/budget-exceeded"))
                .body("detail", containsString("monthly budget of $0.01"))
                .body("detail", containsString(tenant));
        assertThat(calls(AnthropicWire.PATH, model)).isEqualTo(1);
        // other tenants are unaffected
        generate(tenant(), body).then().statusCode(200);
    }

    private static final String PII = "mail jane.doe@example.com or call +1 415-555-0100; card 4111 1111 1111 1111; "
            + "key sk-proj-abcdefghijklmnopqrstuvwxyz012345; order 4111 1111 1111 1112 stays";

    @Test
    void piiIsRedactedByDefaultUnlessTheTenantOptedOut() throws Exception {
        String model = TestHttp.unique("gpt-pii");
        openai(
                model,
                200,
                OpenAiWireStubs.completion(model, "{\"role\":\"assistant\",\"content\":\"noted\"}", "stop", 3, 1));
        String body = "{\"provider\":\"openai\",\"model\":\"" + model
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PII + "\"}]}";
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant())
                .header("X-Devloop-Redact", "pii")
                .body(body)
                .post("/v1/generate")
                .then()
                .statusCode(200);
        generate(MultiProviderStub.PII_TENANT, body).then().statusCode(200);
        generate(tenant(), body).then().statusCode(200); // any tenant: redaction is on by default
        generate(TestHttp.tenantWithoutRedaction(), body).then().statusCode(200); // its admin turned it off
        var sent = MultiProviderStub.server()
                .findAll(postRequestedFor(urlEqualTo(OpenAiWireStubs.PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model))));
        assertThat(sent).hasSize(4);
        for (int i = 0; i < 3; i++) {
            String content = JSON.readTree(sent.get(i).getBodyAsString())
                    .path("messages")
                    .get(0)
                    .path("content")
                    .asText();
            assertThat(content)
                    .doesNotContain("jane.doe@example.com", "415-555-0100", "4111 1111 1111 1111", "sk-proj-abcdef")
                    .contains("[REDACTED_EMAIL]", "[REDACTED_PHONE]", "[REDACTED_CARD]", "[REDACTED_API_KEY]")
                    .contains("4111 1111 1111 1112"); // fails the Luhn check: not a card
        }
        assertThat(JSON.readTree(sent.get(3).getBodyAsString())
                        .path("messages")
                        .get(0)
                        .path("content")
                        .asText())
                .isEqualTo(PII);
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("devloop_provider_pii_redactions_total\\{kind=\"card\"[^}]*} [1-9]");
    }

    @Test
    void responseValidatorReportsViolations() {
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant())
                .body(
                        "{\"text\":\"write to bob@example.org, use token sk-ant-api03-abcdefghijklmnopqrstuvwx and DROP TABLE users\",\"blockedTerms\":[\"drop table\"],\"maxChars\":20}")
                .post("/v1/validate")
                .then()
                .statusCode(200)
                .body("valid", equalTo(false))
                .body("violations.kind", equalTo(List.of("api_key", "email", "blocked_term", "too_long")))
                .body("redacted", containsString("[REDACTED_EMAIL]"));
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant())
                .body("{\"text\":\"all good here\",\"pii\":[\"email\"]}")
                .post("/v1/validate")
                .then()
                .statusCode(200)
                .body("valid", equalTo(true));
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant())
                .body("{\"text\":\"x\",\"pii\":[\"ssn\"]}")
                .post("/v1/validate")
                .then()
                .statusCode(400)
                .body("field", equalTo("pii[0]"));
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant())
                .body("{}")
                .post("/v1/validate")
                .then()
                .statusCode(400)
                .body("field", equalTo("text"));
    }

    @Test
    void contextPromptUsesXmlForClaudeAndPlainTextElsewhere() throws Exception {
        String claude = TestHttp.unique("claude-rag");
        AnthropicWire.json(
                claude,
                200,
                AnthropicWire.message(
                        claude, "[{\"type\":\"text\",\"text\":\"svc-a is slow [1]\"}]", "end_turn", 50, 6));
        String request = """
        {"provider":"%s","model":"%s","instructions":"You are an SRE assistant.",
         "documents":[{"source":"runbook.md","content":"svc-a <slow> since 10:00"},{"content":"svc-b is fine"}],
         "question":"what is slow?"}""";
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant())
                .body(request.formatted("anthropic", claude))
                .post("/v1/generate/context")
                .then()
                .statusCode(200)
                .body("text", equalTo("svc-a is slow [1]"));
        JsonNode sent = JSON.readTree(MultiProviderStub.server()
                .findAll(postRequestedFor(urlEqualTo(AnthropicWire.PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(claude))))
                .get(0)
                .getBodyAsString());
        String user = sent.path("messages").get(0).toString();
        assertThat(user)
                .contains("<documents>")
                .contains("<document index=\\\"1\\\">")
                .contains("<source>runbook.md</source>")
                .contains("svc-a &lt;slow&gt; since 10:00")
                .contains("<document index=\\\"2\\\">")
                .contains("<question>");
        assertThat(sent.path("system").toString())
                .contains("You are an SRE assistant.")
                .contains("<documents>");

        String gpt = TestHttp.unique("gpt-rag");
        openai(
                gpt,
                200,
                OpenAiWireStubs.completion(gpt, "{\"role\":\"assistant\",\"content\":\"svc-a [1]\"}", "stop", 40, 3));
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant())
                .body(request.formatted("openai", gpt))
                .post("/v1/generate/context")
                .then()
                .statusCode(200)
                .body("provider", equalTo("openai"));
        String openaiUser = JSON.readTree(MultiProviderStub.server()
                        .findAll(postRequestedFor(urlEqualTo(OpenAiWireStubs.PATH))
                                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(gpt))))
                        .get(0)
                        .getBodyAsString())
                .path("messages")
                .get(1)
                .path("content")
                .asText();
        assertThat(openaiUser)
                .contains("[1] runbook.md")
                .contains("svc-a <slow> since 10:00")
                .contains("Question: what is slow?")
                .doesNotContain("<documents>");

        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant())
                .body("{\"provider\":\"openai\",\"documents\":[],\"question\":\"q\"}")
                .post("/v1/generate/context")
                .then()
                .statusCode(400)
                .body("field", equalTo("documents"));
    }

    @Test
    void openAiEmbeddingsThroughTheStub() {
        String text = TestHttp.unique("embed me");
        MultiProviderStub.server()
                .stubFor(post(urlEqualTo("/v1/embeddings"))
                        .withRequestBody(matchingJsonPath("$.input[0]", WireMock.equalTo(text)))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody("""
            {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.25,-0.5,1.0]},
             {"object":"embedding","index":1,"embedding":[0.0,0.5,-1.0]}],
             "model":"text-embedding-3-small","usage":{"prompt_tokens":9,"total_tokens":9}}""")));
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant())
                .body("{\"model\":\"text-embedding-3-small\",\"input\":[\"" + text + "\",\"second\"]}")
                .post("/v1/embeddings")
                .then()
                .statusCode(200)
                .body("object", equalTo("list"))
                .body("data.size()", equalTo(2))
                .body("data[0].embedding", equalTo(List.of(0.25f, -0.5f, 1.0f)))
                .body("data[1].index", equalTo(1))
                .body("usage.prompt_tokens", equalTo(9));
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant())
                .body("{\"model\":\"no-such-embedder\",\"input\":\"x\"}")
                .post("/v1/embeddings")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("model"))
                .body("error.code", equalTo("model_not_found"))
                .body("error.type", equalTo("invalid_request_error"));
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant())
                .body("{\"model\":\"text-embedding-3-small\",\"input\":[1,2,3]}")
                .post("/v1/embeddings")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("input[0]"));
    }

    @Test
    void inProcessMiniLmEmbeddingsAreSemantic() throws Exception {
        String body = given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant())
                .body(
                        "{\"model\":\"all-minilm-l6-v2\",\"input\":[\"The cat sits on the mat\",\"A cat is sitting on a rug\",\"Quarterly revenue grew by ten percent\"]}")
                .post("/v1/embeddings")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonNode data = JSON.readTree(body).path("data");
        assertThat(data).hasSize(3);
        assertThat(data.get(0).path("embedding")).hasSize(384);
        double close = cosine(data.get(0).path("embedding"), data.get(1).path("embedding"));
        double far = cosine(data.get(0).path("embedding"), data.get(2).path("embedding"));
        assertThat(close).isGreaterThan(far + 0.2);
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant())
                .body("{\"model\":\"local/all-minilm-l6-v2\",\"input\":\"x\",\"dimensions\":512}")
                .post("/v1/embeddings")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("dimensions"));
    }

    private static double cosine(JsonNode a, JsonNode b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.size(); i++) {
            double x = a.get(i).asDouble(), y = b.get(i).asDouble();
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return dot / Math.sqrt(na * nb);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(Duration.ofMillis(ms).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
