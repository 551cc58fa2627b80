package dev.devloop.provider.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.devloop.provider.adapters.in.rest.TestHttp.generate;
import static dev.devloop.provider.adapters.in.rest.TestHttp.tenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.mongodb.client.MongoClient;
import dev.devloop.contracts.Headers;
import dev.devloop.provider.support.AnthropicWire;
import dev.devloop.provider.support.MultiProviderStub;
import dev.devloop.provider.support.OpenAiWireStubs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/usage} over the real MongoDB ledger (mongo-java-server here: its {@code $match},
 * {@code $group}, {@code $dateToString}, {@code $cond}/{@code $ifNull}, {@code $sort}, {@code $limit}
 * are exercised by these tests), and {@code usage.costUsd} in generate answers.
 */
@QuarkusTest
@WithTestResource(MultiProviderStub.class)
class UsageQueryTest {
    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "devloop.provider.database")
    String database;

    /** A JSON number (RestAssured reads decimals as floats) within a millionth of {@code expected}. */
    private static org.hamcrest.Matcher<Object> near(double expected) {
        return new org.hamcrest.TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Object item) {
                return item instanceof Number n && Math.abs(n.doubleValue() - expected) < 1e-6;
            }

            @Override
            public void describeTo(org.hamcrest.Description d) {
                d.appendText("a number within 1e-6 of ").appendValue(expected);
            }
        };
    }

    private static ValidatableResponse usage(String tenant, String query) {
        return given().header(Headers.TENANT, tenant).get("/v1/usage" + query).then();
    }

    private void insert(
            String tenant, String agent, String provider, String model, long in, long out, Double cost, String at) {
        mongo.getDatabase(database)
                .getCollection("usage")
                .insertOne(new Document("_id", UUID.randomUUID().toString())
                        .append("tenant", tenant)
                        .append("agentId", agent)
                        .append("provider", provider)
                        .append("model", model)
                        .append("inputTokens", in)
                        .append("outputTokens", out)
                        .append("totalTokens", in + out)
                        .append("cached", false)
                        .append("streamed", false)
                        .append("finishReason", "stop")
                        .append("latencyMs", 5L)
                        .append("at", Date.from(Instant.parse(at)))
                        .append("costUsd", cost));
    }

    @Test
    void generateAnswersCarryTheirCostAndTheMonthSumsThem() throws Exception {
        String tenant = tenant();
        String priced = TestHttp.unique("claude-priced");
        AnthropicWire.json(
                priced,
                200,
                AnthropicWire.message(priced, "[{\"type\":\"text\",\"text\":\"priced\"}]", "end_turn", 1000, 2000));
        generate(
                        tenant,
                        "{\"provider\":\"anthropic\",\"model\":\"" + priced
                                + "\",\"agentId\":\"a-1\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .then()
                .statusCode(200)
                .body("usage.costUsd", near(0.033))
                .body("usage.inputTokens", equalTo(1000));
        // generate_with_context carries it too
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant)
                .body("""
        {"provider":"anthropic","model":"%s","documents":[{"content":"svc-a is slow"}],"question":"what?","agentId":"a-1"}
        """.formatted(priced))
                .post("/v1/generate/context")
                .then()
                .statusCode(200)
                .body("usage.costUsd", near(0.033));
        // no price → no costUsd (unknown is never shown as free)
        String gpt = TestHttp.unique("gpt-unpriced");
        MultiProviderStub.server()
                .stubFor(post(urlEqualTo(OpenAiWireStubs.PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(gpt)))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody(OpenAiWireStubs.completion(
                                        gpt, "{\"role\":\"assistant\",\"content\":\"ok\"}", "stop", 10, 5))));
        generate(
                        tenant,
                        "{\"provider\":\"openai\",\"model\":\"" + gpt
                                + "\",\"agentId\":\"a-2\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .then()
                .statusCode(200)
                .body("usage", not(hasKey("costUsd")))
                .body("usage.totalTokens", equalTo(15));
        // the OpenAI-compatible surface keeps OpenAI's usage object
        TestHttp.chat(
                        tenant,
                        "{\"model\":\"anthropic/" + priced + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .then()
                .statusCode(200)
                .body("usage.prompt_tokens", equalTo(1000))
                .body("usage", not(hasKey("costUsd")));

        // the ledger is written fire-and-forget: wait (bounded) for the four calls
        JsonPath answer = null;
        for (int i = 0; i < 50; i++) {
            answer = usage(tenant, "").statusCode(200).extract().jsonPath();
            if (answer.getInt("totals.calls") >= 4) {
                break;
            }
            Thread.sleep(100);
        }
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        assertThat(answer.getString("tenant")).isEqualTo(tenant);
        assertThat(answer.getString("from")).isEqualTo(month.atDay(1).toString());
        assertThat(answer.getString("to")).isEqualTo(month.atEndOfMonth().toString());
        assertThat(answer.getInt("totals.calls")).isEqualTo(4);
        assertThat(answer.getLong("totals.inputTokens")).isEqualTo(3010);
        assertThat(answer.getLong("totals.outputTokens")).isEqualTo(6005);
        assertThat(answer.getDouble("totals.costUsd")).isCloseTo(0.099, org.assertj.core.data.Offset.offset(1e-9));
        List<Map<String, Object>> groups = answer.getList("groups");
        assertThat(groups).hasSize(2);
        Map<String, Object> claude = groups.stream()
                .filter(g -> priced.equals(g.get("key")))
                .findFirst()
                .orElseThrow();
        assertThat(claude.get("calls")).isEqualTo(3);
        assertThat(((Number) claude.get("costUsd")).doubleValue())
                .isCloseTo(0.099, org.assertj.core.data.Offset.offset(1e-9));
        Map<String, Object> openai = groups.stream()
                .filter(g -> gpt.equals(g.get("key")))
                .findFirst()
                .orElseThrow();
        assertThat(openai)
                .containsEntry("calls", 1)
                .containsEntry("inputTokens", 10)
                .containsEntry("outputTokens", 5);
        assertThat(openai).containsKey("costUsd");
        assertThat(openai.get("costUsd")).isNull();

        // another tenant sees none of it
        usage(tenant(), "")
                .statusCode(200)
                .body("totals.calls", equalTo(0))
                .body("totals.costUsd", nullValue())
                .body("groups.size()", equalTo(0));
    }

    @Test
    void groupsByProviderAgentAndDayWithinTheRange() {
        String tenant = tenant();
        insert(tenant, "agent-a", "openai", "gpt-4o-mini", 100, 10, 0.5, "2025-03-01T00:00:00Z");
        insert(tenant, "agent-a", "openai", "gpt-4o", 200, 20, null, "2025-03-01T23:59:59.999Z");
        insert(tenant, "agent-b", "anthropic", "claude-x", 300, 30, 1.25, "2025-03-02T12:00:00Z");
        insert(tenant, "agent-b", "anthropic", "claude-x", 1, 1, 1.0, "2025-03-04T00:00:00Z"); // after the range
        insert(tenant, "agent-b", "anthropic", "claude-x", 1, 1, 1.0, "2025-02-28T23:59:59.999Z"); // before it
        insert("other-" + tenant, "agent-a", "openai", "gpt-4o-mini", 5, 5, 9.0, "2025-03-02T00:00:00Z");

        usage(tenant, "?from=2025-03-01&to=2025-03-03&groupBy=provider")
                .statusCode(200)
                .body("from", equalTo("2025-03-01"))
                .body("to", equalTo("2025-03-03"))
                .body("groupBy", equalTo("provider"))
                .body("totals.calls", equalTo(3))
                .body("totals.inputTokens", equalTo(600))
                .body("totals.outputTokens", equalTo(60))
                .body("totals.costUsd", near(1.75))
                .body("groups.key", equalTo(List.of("anthropic", "openai")))
                .body("groups[0].costUsd", near(1.25))
                .body("groups[1].calls", equalTo(2))
                .body("groups[1].costUsd", near(0.5))
                .body("truncated", equalTo(false));
        usage(tenant, "?from=2025-03-01&to=2025-03-03&groupBy=day")
                .statusCode(200)
                .body("groups.key", equalTo(List.of("2025-03-01", "2025-03-02")))
                .body("groups[0].calls", equalTo(2))
                .body("groups[1].calls", equalTo(1));
        usage(tenant, "?from=2025-03-01&to=2025-03-03&groupBy=agent")
                .statusCode(200)
                .body("groups.key", equalTo(List.of("agent-a", "agent-b")));
        usage(tenant, "?from=2025-03-01&to=2025-03-03&groupBy=model")
                .statusCode(200)
                .body("groups.key", equalTo(List.of("claude-x", "gpt-4o", "gpt-4o-mini")))
                .body("groups[1].costUsd", nullValue());
        // instants are exact and both ends inclusive
        usage(tenant, "?from=2025-03-01T23:59:59.999Z&to=2025-03-02T12:00:00Z")
                .statusCode(200)
                .body("totals.calls", equalTo(2))
                .body("from", equalTo("2025-03-01T23:59:59.999Z"));
    }

    @Test
    void groupsAreBounded() {
        String tenant = tenant();
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            docs.add(new Document("_id", UUID.randomUUID().toString())
                    .append("tenant", tenant)
                    .append("agentId", String.format("agent-%04d", i))
                    .append("provider", "openai")
                    .append("model", "m")
                    .append("inputTokens", 1L)
                    .append("outputTokens", 1L)
                    .append("totalTokens", 2L)
                    .append("at", Date.from(Instant.parse("2025-06-10T10:00:00Z")))
                    .append("costUsd", null));
        }
        mongo.getDatabase(database).getCollection("usage").insertMany(docs);
        usage(tenant, "?from=2025-06-01&to=2025-06-30&groupBy=agent")
                .statusCode(200)
                .body("groups.size()", equalTo(1000))
                .body("truncated", equalTo(true))
                .body("groups[0].key", equalTo("agent-0000"))
                .body("groups[999].key", equalTo("agent-0999"))
                .body("totals.calls", equalTo(1001))
                .body("totals.costUsd", nullValue());
    }

    @Test
    void badQueriesAreRejectedNamingTheParameter() {
        String tenant = tenant();
        usage(tenant, "?groupBy=team")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("groupBy"));
        usage(tenant, "?from=yesterday").statusCode(400).body("field", equalTo("from"));
        usage(tenant, "?from=2026-11-01&to=2026-13-01").statusCode(400).body("field", equalTo("to"));
        usage(tenant, "?from=2026-11-02&to=2026-11-01").statusCode(400).body("field", equalTo("to"));
        usage(tenant, "?from=2025-01-01&to=2026-01-02").statusCode(400).body("field", equalTo("to"));
        usage(tenant, "?from=2025-01-01&to=2026-01-01").statusCode(200); // 366 days (both ends inclusive)
        given().get("/v1/usage").then().statusCode(400).contentType("application/problem+json");
    }
}
