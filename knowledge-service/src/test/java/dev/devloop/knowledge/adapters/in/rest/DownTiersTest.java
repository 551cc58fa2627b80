package dev.devloop.knowledge.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.devloop.contracts.Headers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Redis and MongoDB point at closed ports: their operations answer 503, Neo4j keeps serving. */
@QuarkusTest
@TestProfile(DownTiersTest.RedisAndMongoDown.class)
class DownTiersTest {

    /** Closed ports for the short and medium tiers; consumers off so no event is dead-lettered here. */
    public static class RedisAndMongoDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.redis.hosts", "redis://127.0.0.1:1",
                    "quarkus.mongodb.connection-string", "mongodb://127.0.0.1:1",
                    "quarkus.mongodb.server-selection-timeout", "500ms",
                    "mp.messaging.incoming.knowledge-facts.enabled", "false",
                    "mp.messaging.incoming.agent-lifecycle.enabled", "false");
        }
    }

    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void downTiersAnswer503AndTheLongTierKeepsWorking() {
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"value\": 1, \"ttlSeconds\": 10}")
                .put("/facts/e/a")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("redis"));
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"value\": 1, \"ttlSeconds\": 600}")
                .put("/facts/e/b")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("mongodb"));
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"value\": \"kept\"}")
                .put("/facts/e/c")
                .then()
                .statusCode(200)
                .body("tier", equalTo("long"));
        given().header(Headers.TENANT, tenant)
                .get("/facts/e/c")
                .then()
                .statusCode(200)
                .body("value", equalTo("kept"));
        given().header(Headers.TENANT, tenant)
                .get("/facts/e/missing")
                .then()
                .statusCode(503)
                .contentType("application/problem+json");
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"value\": 1, \"ttlSeconds\": 0}")
                .put("/facts/e/a")
                .then()
                .statusCode(400)
                .body("field", equalTo("ttlSeconds"));
    }

    @Test
    void readinessReportsEachStore() {
        given().get("/q/health/ready")
                .then()
                .statusCode(503)
                // Redis only degrades the service (short-tier facts, the cache); MongoDB takes it out
                .body("checks.find { it.name == 'redis' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'redis' }.data.state", equalTo("DEGRADED"))
                .body("checks.find { it.name == 'redis' }.data.error", org.hamcrest.Matchers.notNullValue())
                .body("checks.find { it.name == 'mongodb' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'neo4j' }.status", equalTo("UP"))
                .body("checks.name", hasItem("neo4j"));
    }
}
