package dev.devloop.provider.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.devloop.provider.support.OpenAiStub;
import dev.devloop.provider.support.WarmupProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up runs the hot path against its own loopback stub: it finishes every call it was given,
 * holds readiness DOWN only while it runs, and never reaches a configured provider, the usage ledger or the
 * call metrics.
 */
@QuarkusTest
@TestProfile(WarmupProfile.class)
@WithTestResource(OpenAiStub.class)
class HotPathWarmupTest {
    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "devloop.provider.database")
    String database;

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
        // and left no trace: no usage record, no call counted
        assertThat(mongo.getDatabase(database)
                        .getCollection("usage")
                        .countDocuments(Filters.eq("tenant", HotPathWarmup.TENANT)))
                .isZero();
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .doesNotContain("devloop_provider_request_seconds_count{")
                .doesNotContain("devloop_provider_cache_total{")
                .doesNotContain("devloop_provider_tokens_total{");
    }
}
