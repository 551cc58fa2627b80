package dev.devloop.provider.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.devloop.contracts.Headers;
import dev.devloop.provider.support.OpenAiStub;
import dev.devloop.provider.support.OpenAiWireStubs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Redis is not part of readiness (#18): with Redis at a closed port the gateway is ready (the start-up warm-up ends,
 * it does not wait on Redis), its {@code redis} entry says DEGRADED with the reason, and model calls are served
 * without the response cache, their usage recorded in the MongoDB ledger.
 */
@QuarkusTest
@TestProfile(RedisOutageTest.RedisDown.class)
@WithTestResource(OpenAiStub.class)
class RedisOutageTest {

    /** Redis at a port nothing listens on; the warm-up on (bounded) to show it does not hang on Redis. */
    public static class RedisDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.redis.hosts",
                    "redis://127.0.0.1:" + closedPort(),
                    "devloop.provider.warmup.enabled",
                    "true",
                    "devloop.provider.warmup.iterations",
                    "20",
                    "devloop.provider.warmup.max-duration",
                    "20s");
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort(); // closed again: connections are refused
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "devloop.provider.database")
    String database;

    /** Polls readiness until it answers 200 (the warm-up has ended), bounded: 60 s. */
    private static JsonPath readyAfterWarmUp() throws InterruptedException {
        for (int i = 0; i < 240; i++) {
            var response = given().get("/q/health/ready");
            if (response.statusCode() == 200) {
                return response.jsonPath();
            }
            Thread.sleep(250);
        }
        throw new AssertionError(
                "not ready within 60 s: " + given().get("/q/health/ready").asString());
    }

    @Test
    void readyWithRedisDegradedAndTheReason() throws InterruptedException {
        JsonPath ready = readyAfterWarmUp();

        assertThat(ready.getString("status")).isEqualTo("UP");
        assertThat(ready.getList("checks.status")).containsOnly("UP");
        assertThat(ready.getList("checks.name")).contains("redis", "warm-up", "providers");
        assertThat(ready.getList("checks.name")).doesNotContain("Redis connection health check");
        assertThat(ready.getString("checks.find { it.name == 'warm-up' }.data.state"))
                .isEqualTo("done");
        assertThat(ready.getString("checks.find { it.name == 'redis' }.data.state"))
                .isEqualTo("DEGRADED");
        assertThat(ready.getString("checks.find { it.name == 'redis' }.data.reason"))
                .contains("redis unreachable", "response cache skipped");
    }

    @Test
    void modelCallsAreServedWithoutTheCacheAndTheirUsageRecorded() throws InterruptedException {
        String tenant = "t-" + UUID.randomUUID();
        String model = "m-" + UUID.randomUUID();
        OpenAiWireStubs.json(
                model,
                200,
                OpenAiWireStubs.completion(model, "{\"role\":\"assistant\",\"content\":\"pong\"}", "stop", 7, 3));
        String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}";
        for (int i = 0; i < 2; i++) { // the same request twice: no cache, so both reach the provider
            given().contentType(ContentType.JSON)
                    .header(Headers.TENANT, tenant)
                    .body(body)
                    .post("/v1/generate")
                    .then()
                    .statusCode(200)
                    .body("text", equalTo("pong"))
                    .body("cached", equalTo(false))
                    .body("usage.totalTokens", equalTo(10));
        }
        assertThat(OpenAiStub.server()
                        .countRequestsMatching(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                                        com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(
                                                OpenAiWireStubs.PATH))
                                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(model))
                                .build())
                        .getCount())
                .isEqualTo(2);

        long recorded = 0;
        for (int i = 0; i < 40 && recorded < 2; i++) { // the ledger write is asynchronous; bounded: 10 s
            recorded = mongo.getDatabase(database).getCollection("usage").countDocuments(Filters.eq("tenant", tenant));
            if (recorded < 2) {
                Thread.sleep(250);
            }
        }
        assertThat(recorded).isEqualTo(2);
    }
}
