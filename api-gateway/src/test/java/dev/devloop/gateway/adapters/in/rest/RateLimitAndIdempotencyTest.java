package dev.devloop.gateway.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.devloop.contracts.Headers;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.LogCapture;
import dev.devloop.gateway.support.Tokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Rate limits and Idempotency-Key against the real Redis; WireMock stands in for agent-service's port. */
@QuarkusTest
@QuarkusTestResource(AgentServiceStub.class)
class RateLimitAndIdempotencyTest {
    private static final String PROBLEM = "application/problem+json";

    @Inject
    RedisDataSource redis;

    private static int sentFor(String tenant) {
        return AgentServiceStub.server()
                .findAll(anyRequestedFor(anyUrl()).withHeader(Headers.TENANT, WireMock.equalTo(tenant)))
                .size();
    }

    private static void stubRunStart(String tenant, String ref, int delayMillis) {
        AgentServiceStub.server()
                .stubFor(post(urlPathEqualTo("/agents/" + ref + "/runs"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(tenant))
                        .willReturn(aResponse()
                                .withStatus(202)
                                .withHeader("Content-Type", "application/json")
                                .withFixedDelay(delayMillis)
                                .withBody("{\"id\":\"" + UUID.randomUUID() + "\",\"status\":\"QUEUED\"}")));
    }

    private static Response postRun(String token, String ref, String key, String body) {
        var request = given().header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body(body);
        if (key != null) {
            request = request.header(Headers.IDEMPOTENCY_KEY, key);
        }
        return request.when().post("/api/v1/agents/" + ref + "/runs");
    }

    @Test
    void aViewerGetsItsLimitThen429WithRetryAfter() {
        String tenant = Tokens.newTenant();
        AgentServiceStub.server()
                .stubFor(get(urlEqualTo("/runs/rl"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(tenant))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{}")));
        String token = Tokens.validFor(tenant, "viewer-1", "viewer");
        for (int remaining = 2; remaining >= 0; remaining--) {
            given().header("Authorization", "Bearer " + token)
                    .when()
                    .get("/api/v1/runs/rl")
                    .then()
                    .statusCode(200)
                    .header("RateLimit-Limit", "3")
                    .header("RateLimit-Remaining", String.valueOf(remaining))
                    .header("RateLimit-Reset", notNullValue());
        }
        try (LogCapture log = new LogCapture()) {
            given().header("Authorization", "Bearer " + token)
                    .when()
                    .get("/api/v1/runs/rl")
                    .then()
                    .statusCode(429)
                    .contentType(PROBLEM)
                    .body("type", equalTo("https://devloop.dev/problems/rate-limited"))
                    .header("Retry-After", notNullValue())
                    .header("RateLimit-Remaining", "0");
            // the denial's audit line: message "audit", the decision and its reasons as fields (#19)
            assertThat(log.withMessage("audit"))
                    .extracting(LogCapture.Line::fields)
                    .anySatisfy(fields -> assertThat(fields)
                            .containsEntry("decision", "deny")
                            .containsEntry("status", "429")
                            .containsEntry("reason", "rate-limited")
                            .containsEntry("tenant", tenant)
                            .containsEntry("subject", "viewer-1"));
        }
        assertThat(sentFor(tenant)).isEqualTo(3);

        given().header("Authorization", "Bearer " + Tokens.validFor(tenant, "viewer-2", "viewer"))
                .when()
                .get("/api/v1/runs/rl")
                .then()
                .statusCode(200)
                .header("RateLimit-Remaining", "2");
        assertThat(redis.key().keys("gw:rl:" + tenant + ":*")).contains("gw:rl:" + tenant + ":viewer-1:runs.get");
    }

    @Test
    void aRepeatedKeyReplaysTheFirstResponse() {
        String tenant = Tokens.newTenant();
        stubRunStart(tenant, "planner", 0);
        String token = Tokens.validFor(tenant, "op-1", "operator");
        String body = "{\"input\":\"do it once\"}";

        Response first = postRun(token, "planner", "key-1", body);
        Response second = postRun(token, "planner", "key-1", body);

        first.then().statusCode(202).header(AgentRoutesResource.REPLAYED, nullValue());
        second.then()
                .statusCode(202)
                .header(AgentRoutesResource.REPLAYED, "true")
                .contentType("application/json");
        assertThat(second.asString()).isEqualTo(first.asString());
        assertThat(sentFor(tenant)).isEqualTo(1);
        assertThat(redis.key().keys("gw:idem:" + tenant + ":op-1:*")).hasSize(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        String tenant = Tokens.newTenant();
        stubRunStart(tenant, "planner", 0);
        String token = Tokens.validFor(tenant, "op-1", "operator");
        postRun(token, "planner", "key-2", "{\"input\":\"first\"}").then().statusCode(202);
        postRun(token, "planner", "key-2", "{\"input\":\"second\"}")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("field", equalTo(Headers.IDEMPOTENCY_KEY))
                .body("type", equalTo("https://devloop.dev/problems/idempotency-key-reused"));
        assertThat(sentFor(tenant)).isEqualTo(1);
    }

    @Test
    void aConcurrentDuplicateIs409() throws Exception {
        String tenant = Tokens.newTenant();
        stubRunStart(tenant, "slowpoke", 3_000);
        String token = Tokens.validFor(tenant, "op-1", "operator");
        String body = "{\"input\":\"slow\"}";

        CompletableFuture<Response> first =
                CompletableFuture.supplyAsync(() -> postRun(token, "slowpoke", "key-3", body));
        for (int i = 0; i < 100 && sentFor(tenant) == 0; i++) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        assertThat(sentFor(tenant)).isEqualTo(1);
        postRun(token, "slowpoke", "key-3", body)
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("type", equalTo("https://devloop.dev/problems/idempotency-key-in-use"));
        first.get(30, TimeUnit.SECONDS).then().statusCode(202);
        postRun(token, "slowpoke", "key-3", body).then().statusCode(202).header(AgentRoutesResource.REPLAYED, "true");
        assertThat(sentFor(tenant)).isEqualTo(1);
    }

    @Test
    void keysAreScopedPerSubject() {
        String tenant = Tokens.newTenant();
        stubRunStart(tenant, "planner", 0);
        String body = "{\"input\":\"same\"}";
        postRun(Tokens.validFor(tenant, "op-a", "operator"), "planner", "shared", body)
                .then()
                .statusCode(202);
        postRun(Tokens.validFor(tenant, "op-b", "operator"), "planner", "shared", body)
                .then()
                .statusCode(202)
                .header(AgentRoutesResource.REPLAYED, nullValue());
        assertThat(sentFor(tenant)).isEqualTo(2);
    }

    @Test
    void aMalformedKeyIs400() {
        String tenant = Tokens.newTenant();
        postRun(Tokens.valid(tenant, "operator"), "planner", "k".repeat(300), "{\"input\":\"x\"}")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo(Headers.IDEMPOTENCY_KEY));
        assertThat(sentFor(tenant)).isZero();
    }
}
