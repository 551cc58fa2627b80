package dev.devloop.provider.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.devloop.contracts.Headers;
import dev.devloop.provider.support.OpenAiStub;
import dev.devloop.provider.support.OpenAiWireStubs;
import dev.devloop.provider.support.WarmupProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up sends its calls through the gateway's own HTTP server to its own loopback stub: it finishes
 * every call it was given, holds readiness DOWN only while it runs, and never reaches a configured provider, the
 * usage ledger, the call metrics or the HTTP server's request metrics; another caller acting for its tenant is served by the gateway as anyone else.
 */
@QuarkusTest
@TestProfile(WarmupProfile.class)
@WithTestResource(OpenAiStub.class)
class HotPathWarmupTest {
    private static final String ROUTING_CHECK = "warmup-routing-check";

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "devloop.provider.database")
    String database;

    @Inject
    @Readiness
    HotPathWarmup warmup;

    @Test
    void warmsTheHotPathWithoutTouchingProvidersLedgerOrMetrics() throws InterruptedException {
        Map<String, Object> warmup = null;
        for (int i = 0; i < 240; i++) { // bounded: 60 s
            JsonPath ready = given().get("/q/health/ready").then().extract().jsonPath();
            warmup = ready.getMap("checks.find { it.name == 'warm-up' }.data");
            if (warmup != null && !"running".equals(warmup.get("state"))) {
                break;
            }
            Thread.sleep(250);
        }
        assertThat(warmup).isNotNull();
        assertThat(warmup.get("state")).isEqualTo("done");
        assertThat(warmup.get("calls")).isEqualTo(WarmupProfile.ITERATIONS);
        // through the HTTP server (route, identity filter, span), not in process
        assertThat(warmup.get("via")).isEqualTo("http");
        // the warm-up started the usage producer before readiness (stop 30), without a record. Its metadata fetch is
        // bounded by the producer's max.block.ms (2 s), which a loaded box can exceed: the client is started either way
        assertThat(warmup.get("usageProducer"))
                .asString()
                .matches("connected \\(\\d+ partitions\\)|failed: TimeoutException|still connecting");
        // then it waited for the JIT's queue (bounded): the outcome of that wait is reported, whichever it was
        assertThat(warmup.get("compilers")).asString().matches("(quiet|still compiling) after \\d+ ms");
        JsonPath ready =
                given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        // Redis answers: its readiness entry says so
        assertThat(ready.getString("checks.find { it.name == 'redis' }.data.state"))
                .isEqualTo("OK");
        // the MongoDB migrations ran at start, before the warm-up, and are part of readiness
        assertThat(ready.getString("checks.find { it.name == 'mongodb-migrations' }.status"))
                .isEqualTo("UP");
        assertThat(ready.getString("checks.find { it.name == 'mongodb-migrations' }.data.version"))
                .isEqualTo("V001");

        // its calls went to its own loopback stub: the configured OpenAI provider saw nothing
        assertThat(OpenAiStub.server().getAllServeEvents()).isEmpty();
        // and left no trace: no usage record (the routing check below leaves one, marked), no call counted
        assertThat(mongo.getDatabase(database)
                        .getCollection("usage")
                        .countDocuments(Filters.and(
                                Filters.eq("tenant", HotPathWarmup.TENANT), Filters.ne("agentId", ROUTING_CHECK))))
                .isZero();
        // its usage went through the real ledger into a scratch collection, emptied before readiness turned UP (its
        // documents deleted, the collection kept: dropping it broke the local stand-in's store in a reproduction)
        assertThat(mongo.getDatabase(database).getCollection("warmup_usage").countDocuments())
                .isZero();
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .doesNotContain("devloop_provider_request_seconds_count{")
                .doesNotContain("devloop_provider_cache_total{")
                .doesNotContain("devloop_provider_tokens_total{")
                .doesNotContain("uri=\"/v1/chat/completions\"");

        // a caller other than the gateway itself acting for the warm-up's tenant reaches the configured provider like
        // any other caller: the tenant alone selects nothing
        assertThat(this.warmup.loopbackService()).isNotNull();
        String model = "m-" + UUID.randomUUID();
        OpenAiWireStubs.json(
                model,
                200,
                OpenAiWireStubs.completion(
                        model, "{\"role\":\"assistant\",\"content\":\"from the provider\"}", "stop", 3, 2));
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, HotPathWarmup.TENANT)
                .body("{\"model\":\"" + model + "\",\"agentId\":\"" + ROUTING_CHECK
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/generate")
                .then()
                .statusCode(200)
                .body("text", org.hamcrest.Matchers.equalTo("from the provider"));
        assertThat(OpenAiStub.server().getAllServeEvents()).hasSize(1);

        // the warm-up's calls were kept out of the HTTP server's request metrics where they are recorded, not by
        // deleting the route's meters: a real call on the route after it is counted, once, with the usual tags
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, "acme")
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(200);
        String after =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(after)
                .contains("http_server_requests_seconds_count{method=\"POST\",outcome=\"SUCCESS\",status=\"200\","
                        + "uri=\"/v1/chat/completions\"} 1.0")
                .doesNotContain(WarmupHttpMetrics.TAG);
    }
}
