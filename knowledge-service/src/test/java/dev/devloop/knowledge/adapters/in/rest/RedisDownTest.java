package dev.devloop.knowledge.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.devloop.contracts.Headers;
import dev.devloop.knowledge.config.RemoteEmbeddingsBuildTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Only Redis is unreachable: the service stays ready (Redis DEGRADED with the reason) and serves its core requests —
 * medium and long facts written and read (the read cache skipped) — while short-tier facts answer 503. Its Redis at a
 * closed port is part of {@link RemoteEmbeddingsBuildTest.RemoteOnlyBuild}, which it shares to save a start.
 */
@QuarkusTest
@TestProfile(RemoteEmbeddingsBuildTest.RemoteOnlyBuild.class)
class RedisDownTest {

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
