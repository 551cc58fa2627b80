package dev.devloop.knowledge.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.devloop.contracts.Headers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Only Redis is unreachable: the service stays ready (Redis DEGRADED with the reason) and serves its core requests —
 * medium and long facts written and read (the read cache skipped) — while short-tier facts answer 503.
 */
@QuarkusTest
@TestProfile(RedisDownTest.RedisDown.class)
class RedisDownTest {

    /** A closed port for Redis; consumers off so no event is dead-lettered here. */
    public static class RedisDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.redis.hosts", "redis://127.0.0.1:1",
                    "mp.messaging.incoming.knowledge-facts.enabled", "false",
                    "mp.messaging.incoming.agent-lifecycle.enabled", "false");
        }
    }

    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void readinessStaysUpAndReportsRedisDegraded() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'redis' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'redis' }.data.state", equalTo("DEGRADED"))
                .body("checks.find { it.name == 'mongodb' }.status", equalTo("UP"));
    }

    @Test
    void mediumAndLongFactsAreServedAndShortOnesAnswer503() {
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"value\": \"m\", \"ttlSeconds\": 600}")
                .put("/facts/e/medium")
                .then()
                .statusCode(200)
                .body("tier", equalTo("medium"));
        given().header(Headers.TENANT, tenant)
                .get("/facts/e/medium")
                .then()
                .statusCode(200)
                .body("value", equalTo("m"));
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"value\": \"l\"}")
                .put("/facts/e/long")
                .then()
                .statusCode(200)
                .body("tier", equalTo("long"));
        given().header(Headers.TENANT, tenant)
                .get("/facts/e/long")
                .then()
                .statusCode(200)
                .body("value", equalTo("l"));
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"value\": 1, \"ttlSeconds\": 10}")
                .put("/facts/e/short")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("redis"));
    }
}
