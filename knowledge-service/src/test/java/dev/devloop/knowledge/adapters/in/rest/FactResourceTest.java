package dev.devloop.knowledge.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.identity.testing.TestCredentials;
import dev.devloop.knowledge.application.SweepService;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

@QuarkusTest
class FactResourceTest {
    @Inject
    RedisDataSource redis;

    @Inject
    MongoClient mongo;

    @Inject
    Driver neo4j;

    @Inject
    SweepService sweeper;

    private String tenant;

    @BeforeEach
    void newTenant() {
        tenant = "t-" + UUID.randomUUID();
    }

    private RequestSpecification as(String t) {
        return given().header(Headers.TENANT, t).contentType(ContentType.JSON);
    }

    private void put(String entity, String attribute, String body) {
        as(tenant).body(body).put("/facts/{e}/{a}", entity, attribute).then().statusCode(200);
    }

    private MongoCollection<Document> mongoFacts() {
        return mongo.getDatabase("devloop_knowledge").getCollection("facts");
    }

    private Bson mongoKey(String entity, String attribute) {
        return Filters.and(
                Filters.eq("tenant", tenant), Filters.eq("entity", entity), Filters.eq("attribute", attribute));
    }

    private long neo4jFacts(String entity, String attribute) {
        try (var session = neo4j.session()) {
            return session.run(
                            "MATCH (e:Entity {tenant: $t, id: $e})-[:HAS {attribute: $a}]->(f:Fact {tenant: $t, "
                                    + "entity: $e, attribute: $a}) RETURN count(f) AS n",
                            Map.of("t", tenant, "e", entity, "a", attribute))
                    .single()
                    .get("n")
                    .asLong();
        }
    }

    @Test
    void aShortTtlGoesToRedisUnderTheSeedKey() {
        as(tenant)
                .body("{\"value\": {\"cpu\": 0.93}, \"ttlSeconds\": 30}")
                .put("/facts/{e}/{a}", "web-1", "load")
                .then()
                .statusCode(200)
                .body("tier", equalTo("short"))
                .body("tenant", equalTo(tenant))
                .body("entity", equalTo("web-1"))
                .body("attribute", equalTo("load"))
                .body("value.cpu", equalTo(0.93f))
                .body("expiresAt", notNullValue());
        String key = "kg:" + tenant + ":web-1:load";
        assertThat(redis.value(String.class).get(key)).contains("\"cpu\":0.93");
        assertThat(redis.key().ttl(key)).isBetween(1L, 30L);
        assertThat(mongoFacts().countDocuments(mongoKey("web-1", "load"))).isZero();
        assertThat(neo4jFacts("web-1", "load")).isZero();
        as(tenant)
                .get("/facts/{e}/{a}", "web-1", "load")
                .then()
                .statusCode(200)
                .body("tier", equalTo("short"))
                .body("value.cpu", equalTo(0.93f));
    }

    @Test
    void aMediumTtlGoesToMongoWithExpiresAt() {
        as(tenant)
                .body("{\"value\": \"degraded\", \"ttlSeconds\": 3600}")
                .put("/facts/{e}/{a}", "db", "state")
                .then()
                .statusCode(200)
                .body("tier", equalTo("medium"))
                .body("expiresAt", notNullValue());
        Document doc = mongoFacts().find(mongoKey("db", "state")).first();
        assertThat(doc).isNotNull();
        assertThat(doc.getString("value")).isEqualTo("\"degraded\"");
        assertThat(doc.getDate("expiresAt").toInstant()).isAfter(Instant.now().plusSeconds(3000));
        assertThat(mongoFacts().listIndexes().into(new java.util.ArrayList<>()))
                .extracting(i -> i.getString("name"))
                .contains("fact_key", "fact_ttl");
        assertThat(redis.key().exists("kg:" + tenant + ":db:state")).isFalse();
        as(tenant)
                .get("/facts/{e}/{a}", "db", "state")
                .then()
                .statusCode(200)
                .body("tier", equalTo("medium"))
                .body("value", equalTo("degraded"));
    }

    @Test
    void noTtlOrADayOrMoreGoesToNeo4j() {
        as(tenant)
                .body("{\"value\": [1, 2, 3]}")
                .put("/facts/{e}/{a}", "repo", "owners")
                .then()
                .statusCode(200)
                .body("tier", equalTo("long"))
                .body("expiresAt", nullValue());
        as(tenant)
                .body("{\"value\": true, \"ttlSeconds\": 86400}")
                .put("/facts/{e}/{a}", "repo", "public")
                .then()
                .statusCode(200)
                .body("tier", equalTo("long"))
                .body("expiresAt", notNullValue());
        assertThat(neo4jFacts("repo", "owners")).isEqualTo(1);
        assertThat(neo4jFacts("repo", "public")).isEqualTo(1);
        as(tenant)
                .get("/facts/{e}/{a}", "repo", "owners")
                .then()
                .statusCode(200)
                .body("tier", equalTo("long"))
                .body("value", contains(1, 2, 3));
    }

    @Test
    void aRewriteReplacesTheFactInEveryTier() {
        put("svc", "mode", "{\"value\": \"long\"}");
        put("svc", "mode", "{\"value\": \"long-2\"}");
        assertThat(neo4jFacts("svc", "mode")).isEqualTo(1);
        put("svc", "mode", "{\"value\": \"medium\", \"ttlSeconds\": 600}");
        assertThat(neo4jFacts("svc", "mode")).isZero();
        as(tenant).get("/facts/{e}/{a}", "svc", "mode").then().body("value", equalTo("medium"));
        put("svc", "mode", "{\"value\": \"short\", \"ttlSeconds\": 20}");
        assertThat(mongoFacts().countDocuments(mongoKey("svc", "mode"))).isZero();
        as(tenant)
                .get("/facts/{e}/{a}", "svc", "mode")
                .then()
                .body("value", equalTo("short"))
                .body("tier", equalTo("short"));
        put("svc", "mode", "{\"value\": \"long-3\"}");
        assertThat(redis.key().exists("kg:" + tenant + ":svc:mode")).isFalse();
        as(tenant)
                .get("/facts/{e}/{a}", "svc", "mode")
                .then()
                .body("value", equalTo("long-3"))
                .body("tier", equalTo("long"));
    }

    @Test
    void readsCascadeShortBeforeMediumBeforeLong() {
        put("svc", "owner", "{\"value\": \"from-long\"}");
        Date future = Date.from(Instant.now().plusSeconds(600));
        mongoFacts()
                .insertOne(new Document("tenant", tenant)
                        .append("entity", "svc")
                        .append("attribute", "owner")
                        .append("value", "\"from-medium\"")
                        .append("expiresAt", future)
                        .append("updatedAt", new Date()));
        as(tenant).get("/facts/{e}/{a}", "svc", "owner").then().body("value", equalTo("from-medium"));
        redis.value(String.class)
                .setex(
                        "kg:" + tenant + ":svc:owner",
                        30,
                        "{\"value\":\"from-short\",\"expiresAt\":\""
                                + Instant.now().plusSeconds(30) + "\",\"updatedAt\":\"" + Instant.now() + "\"}");
        as(tenant)
                .get("/facts/{e}/{a}", "svc", "owner")
                .then()
                .body("value", equalTo("from-short"))
                .body("tier", equalTo("short"));
    }

    @Test
    void aOneSecondFactExpiresFromRedis() throws InterruptedException {
        put("job", "lock", "{\"value\": \"held\", \"ttlSeconds\": 1}");
        int status = 200;
        for (int i = 0; i < 50 && status == 200; i++) {
            Thread.sleep(100);
            status = as(tenant)
                    .get("/facts/{e}/{a}", "job", "lock")
                    .then()
                    .extract()
                    .statusCode();
        }
        assertThat(status).isEqualTo(404);
        as(tenant)
                .get("/facts/{e}/{a}", "job", "lock")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://devloop.dev/problems/fact-not-found"));
    }

    @Test
    void anExpiredMediumFactIsNeitherReadNorListedAndTheSweeperDeletesIt() {
        Date past = Date.from(Instant.now().minusSeconds(5));
        mongoFacts()
                .insertOne(new Document("tenant", tenant)
                        .append("entity", "cache")
                        .append("attribute", "hit")
                        .append("value", "0.5")
                        .append("expiresAt", past)
                        .append("updatedAt", past));
        put("cache", "size", "{\"value\": 12, \"ttlSeconds\": 600}");
        as(tenant).get("/facts/{e}/{a}", "cache", "hit").then().statusCode(404);
        as(tenant).get("/facts/{e}", "cache").then().statusCode(200).body("attribute", contains("size"));
        sweeper.sweep();
        assertThat(mongoFacts().countDocuments(mongoKey("cache", "hit"))).isZero();
        assertThat(mongoFacts().countDocuments(mongoKey("cache", "size"))).isEqualTo(1);
    }

    @Test
    void tenantsNeverSeeEachOthersFacts() {
        put("shared", "secret", "{\"value\": \"a-long\"}");
        put("shared", "token", "{\"value\": \"a-medium\", \"ttlSeconds\": 600}");
        put("shared", "nonce", "{\"value\": \"a-short\", \"ttlSeconds\": 30}");
        String other = "t-" + UUID.randomUUID();
        for (String attribute : new String[] {"secret", "token", "nonce"}) {
            as(other).get("/facts/{e}/{a}", "shared", attribute).then().statusCode(404);
            as(tenant).get("/facts/{e}/{a}", "shared", attribute).then().statusCode(200);
        }
        as(other).get("/facts/{e}", "shared").then().statusCode(200).body("$", hasSize(0));
        as(other).delete("/facts/{e}/{a}", "shared", "secret").then().statusCode(404);
        as(tenant).get("/facts/{e}/{a}", "shared", "secret").then().statusCode(200);
    }

    @Test
    void listReturnsOneFactPerAttributeAcrossTiers() {
        put("node", "a", "{\"value\": 1, \"ttlSeconds\": 30}");
        put("node", "b", "{\"value\": 2, \"ttlSeconds\": 600}");
        put("node", "c", "{\"value\": 3}");
        put("node:x", "d", "{\"value\": 4, \"ttlSeconds\": 30}");
        as(tenant)
                .get("/facts/{e}", "node")
                .then()
                .statusCode(200)
                .body("attribute", contains("a", "b", "c"))
                .body("tier", contains("short", "medium", "long"))
                .body("value", contains(1, 2, 3));
        as(tenant).get("/facts/{e}", "node:x").then().statusCode(200).body("attribute", contains("d"));
    }

    @Test
    void deleteRemovesTheFact() {
        put("svc", "x", "{\"value\": 1, \"ttlSeconds\": 600}");
        as(tenant).delete("/facts/{e}/{a}", "svc", "x").then().statusCode(204);
        as(tenant).get("/facts/{e}/{a}", "svc", "x").then().statusCode(404);
        as(tenant).delete("/facts/{e}/{a}", "svc", "x").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void keysWithColonsAndPercentsDoNotCollide() {
        put("a:b", "c", "{\"value\": \"one\", \"ttlSeconds\": 30}");
        put("a", "b:c", "{\"value\": \"two\", \"ttlSeconds\": 30}");
        as(tenant).get("/facts/{e}/{a}", "a:b", "c").then().body("value", equalTo("one"));
        as(tenant).get("/facts/{e}/{a}", "a", "b:c").then().body("value", equalTo("two"));
    }

    private void badRequest(RequestSpecification request, String method, String path, String field, Object... params) {
        request.request(method, path, params)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo(field));
    }

    @Test
    void everyInvalidInputIsA400NamingTheField() {
        badRequest(given().contentType(ContentType.JSON).body("{\"value\": 1}"), "PUT", "/facts/e/a", Headers.TENANT);
        badRequest(given(), "GET", "/facts/e/a", Headers.TENANT);
        // a blank header is no tenant: the caller's token (acting for no tenant) decides, the header is replaced
        badRequest(
                given().header("Authorization", TestCredentials.bearer("knowledge-service", null))
                        .header(Headers.TENANT, " "),
                "GET",
                "/facts/e/a",
                Headers.TENANT);
        badRequest(as(tenant).body("{\"value\": 1}"), "PUT", "/facts/{e}/a", "entity", " ");
        badRequest(as(tenant).body("{\"value\": 1}"), "PUT", "/facts/e/{a}", "attribute", "x".repeat(257));
        badRequest(as(tenant).body("{\"value\": 1}"), "PUT", "/facts/{e}/a", "entity", "bad\u0001name");
        badRequest(as(tenant), "GET", "/facts/{e}/a", "entity", "x".repeat(257));
        badRequest(as(tenant).body("{}"), "PUT", "/facts/e/a", "value");
        badRequest(as(tenant).body("{\"value\": null}"), "PUT", "/facts/e/a", "value");
        badRequest(as(tenant).body("{\"value\": 1, \"ttlSeconds\": 0}"), "PUT", "/facts/e/a", "ttlSeconds");
        badRequest(as(tenant).body("{\"value\": 1, \"ttlSeconds\": -5}"), "PUT", "/facts/e/a", "ttlSeconds");
        badRequest(as(tenant).body("{\"value\": 1, \"ttlSeconds\": \"soon\"}"), "PUT", "/facts/e/a", "ttlSeconds");
        badRequest(as(tenant).body("{\"value\": \"" + "x".repeat(70_000) + "\"}"), "PUT", "/facts/e/a", "value");
        as(tenant)
                .body("{\"value\": ")
                .put("/facts/e/a")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        as(tenant).get("/facts/{e}", "e").then().statusCode(200).body("$", hasSize(0));
    }
}
