package dev.devloop.knowledge.adapters.out.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.contracts.events.EventGate;
import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.contracts.events.InvalidEventException;
import dev.devloop.knowledge.support.KafkaTestClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

/**
 * The read cache on the real Redis, Kafka and Neo4j. To tell a cached read from a fresh one, tests change the
 * store <em>behind the service's back</em> (straight in Neo4j): a cached read still shows the old value, an
 * invalidated one shows the store's.
 */
@QuarkusTest
class ReadCacheTest {
    @Inject
    RedisDataSource redis;

    @Inject
    Driver neo4j;

    @Inject
    MeterRegistry registry;

    @Inject
    EventGate gate;

    private String tenant;

    @BeforeEach
    void newTenant() {
        tenant = "t-" + UUID.randomUUID();
    }

    private RequestSpecification as(String t) {
        return given().header(Headers.TENANT, t).contentType(ContentType.JSON);
    }

    private void entity(String t, String id, String properties) {
        as(t).body("{\"id\":\"" + id + "\",\"type\":\"service\",\"properties\":" + properties + "}")
                .post("/entities")
                .then()
                .statusCode(200);
    }

    /** Rewrites an entity's properties straight in Neo4j, as no API call would. */
    private void behindTheBack(String t, String id, String properties) {
        try (var s = neo4j.session()) {
            s.run(
                            "MATCH (e:Entity {tenant: $t, id: $id}) SET e.properties = $p",
                            Map.of("t", t, "id", id, "p", properties))
                    .consume();
        }
    }

    private String owner(String t, String id) {
        return as(t).get("/entities/{id}", id).then().statusCode(200).extract().path("properties.owner");
    }

    private double counter(String name, String tag, String value) {
        // hits are counted per level (local, redis): sum them
        return registry.find(name).tag(tag, value).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static void eventually(Supplier<Boolean> condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!condition.get()) {
            assertThat(Instant.now()).as("condition not met within 20 s").isBefore(deadline);
            Thread.sleep(100);
        }
    }

    /**
     * Waits until every invalidation of this tenant published so far has been applied by the service: a fact
     * write's own event evicts its keys a second time when it arrives, which would otherwise race with the reads
     * below. A marker event behind them (same Kafka key, so same partition) evicts a sentinel entry.
     */
    private void drainInvalidations(String published) throws InterruptedException {
        String t = tenant;
        assertThat(KafkaTestClient.await(
                        Topics.CACHE_INVALIDATION,
                        v -> v.contains("\"tenant\":\"" + t + "\"") && v.contains(published),
                        Duration.ofSeconds(20)))
                .isTrue();
        String sentinel = "kc:" + tenant + ":facts:fact:marker:" + UUID.randomUUID();
        redis.value(String.class).set(sentinel, "sentinel");
        KafkaTestClient.send(
                Topics.CACHE_INVALIDATION,
                "kc:" + tenant,
                "{\"specversion\":\"1.0\",\"id\":\""
                        + UUID.randomUUID()
                        + "\",\"source\":\"/test\",\"type\":\"dev.devloop.cache.invalidated\",\"tenant\":\""
                        + tenant + "\",\"data\":{\"cache\":\"knowledge\",\"keys\":[\""
                        + sentinel.substring(("kc:" + tenant + ":").length())
                        + "\"]}}");
        eventually(() -> !redis.key().exists(sentinel));
    }

    @Test
    void anEntityReadIsCachedPerTenantAndAWriteInvalidatesIt() {
        entity(tenant, "svc", "{\"owner\":\"ann\"}");
        double hits = counter("devloop.knowledge.cache.hits", "cache", "entity");
        double misses = counter("devloop.knowledge.cache.misses", "cache", "entity");
        assertThat(owner(tenant, "svc")).isEqualTo("ann");
        assertThat(redis.key().exists("kc:" + tenant + ":graph:entity:svc")).isTrue();
        behindTheBack(tenant, "svc", "{\"owner\":\"store\"}");
        assertThat(owner(tenant, "svc")).as("served from the cache").isEqualTo("ann");
        assertThat(counter("devloop.knowledge.cache.misses", "cache", "entity")).isEqualTo(misses + 1);
        assertThat(counter("devloop.knowledge.cache.hits", "cache", "entity")).isEqualTo(hits + 1);

        entity(tenant, "svc", "{\"owner\":\"bob\"}");
        assertThat(owner(tenant, "svc"))
                .as("the write invalidated the cached read")
                .isEqualTo("bob");

        // a relationship write invalidates too (the details carry relations)
        entity(tenant, "db", "{}");
        as(tenant)
                .body("{\"from\":\"svc\",\"to\":\"db\",\"type\":\"USES\"}")
                .post("/relationships")
                .then()
                .statusCode(200);
        as(tenant).get("/entities/{id}", "svc").then().statusCode(200).body("relations[0].otherId", equalTo("db"));
    }

    @Test
    void tenantsHaveSeparateKeysAndOneTenantsWriteLeavesTheOthersCacheAlone() {
        String other = "t-" + UUID.randomUUID();
        entity(tenant, "svc", "{\"owner\":\"a\"}");
        entity(other, "svc", "{\"owner\":\"b\"}");
        assertThat(owner(tenant, "svc")).isEqualTo("a");
        assertThat(owner(other, "svc")).isEqualTo("b");
        assertThat(redis.key().exists("kc:" + tenant + ":graph:entity:svc")).isTrue();
        assertThat(redis.key().exists("kc:" + other + ":graph:entity:svc")).isTrue();

        behindTheBack(other, "svc", "{\"owner\":\"b-store\"}");
        String otherGeneration = redis.value(String.class).get("kc:" + other + ":gen:graph");
        entity(tenant, "svc", "{\"owner\":\"a2\"}");
        assertThat(owner(tenant, "svc")).isEqualTo("a2");
        assertThat(owner(other, "svc")).as("the other tenant's entry survived").isEqualTo("b");
        assertThat(redis.value(String.class).get("kc:" + other + ":gen:graph")).isEqualTo(otherGeneration);
    }

    @Test
    void factReadsAreCachedAndAWriteEvictsThemAndAnnouncesIt() throws InterruptedException {
        as(tenant)
                .body("{\"value\":\"v1\"}")
                .put("/facts/{e}/{a}", "web", "mode")
                .then()
                .statusCode(200);
        drainInvalidations("\"facts:fact:web:mode\"");
        as(tenant).get("/facts/{e}/{a}", "web", "mode").then().statusCode(200).body("value", equalTo("v1"));
        as(tenant).get("/facts/{e}", "web").then().statusCode(200).body("[0].value", equalTo("v1"));
        try (var s = neo4j.session()) {
            s.run(
                            "MATCH (f:Fact {tenant: $t, entity: 'web', attribute: 'mode'}) SET f.value = '\"store\"'",
                            Map.of("t", tenant))
                    .consume();
        }
        as(tenant).get("/facts/{e}/{a}", "web", "mode").then().body("value", equalTo("v1"));
        as(tenant).get("/facts/{e}", "web").then().body("[0].value", equalTo("v1"));

        as(tenant)
                .body("{\"value\":\"v2\",\"ttlSeconds\":600}")
                .put("/facts/{e}/{a}", "web", "mode")
                .then()
                .statusCode(200);
        as(tenant)
                .get("/facts/{e}/{a}", "web", "mode")
                .then()
                .body("value", equalTo("v2"))
                .body("tier", equalTo("medium"));
        as(tenant).get("/facts/{e}", "web").then().body("[0].value", equalTo("v2"));

        String t = tenant;
        var announced = KafkaTestClient.collect(
                Topics.CACHE_INVALIDATION,
                r -> r.value().contains("\"tenant\":\"" + t + "\"")
                        && r.value().contains("\"type\":\"dev.devloop.cache.invalidated\"")
                        && r.value().contains("\"facts:fact:web:mode\"")
                        && r.value().contains("\"facts:facts:web\"")
                        && r.value().contains("\"cache\":\"knowledge\""),
                l -> !l.isEmpty(),
                Duration.ofSeconds(20));
        assertThat(announced).isNotEmpty();
        // signed by knowledge-service for the invalidation topic, and for no other
        var record = announced.get(0);
        var header = record.headers().lastHeader(EventSignatures.SIGNATURE_HEADER);
        assertThat(header).as("signature header").isNotNull();
        String signature = new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(gate.accept(
                                Topics.CACHE_INVALIDATION,
                                record.value(),
                                signature,
                                null,
                                CloudEventCodec.Limits.DEFAULT)
                        .producer())
                .isEqualTo("knowledge-service");
        assertThatThrownBy(() -> gate.accept(
                        Topics.ROADMAP_EVENTS, record.value(), signature, null, CloudEventCodec.Limits.DEFAULT))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.kind())
                        .isEqualTo(InvalidEventException.Kind.FORGED));
    }

    @Test
    void searchResultsAreCachedAndAnIngestionInvalidatesThem() {
        as(tenant)
                .body("{\"id\":\"a\",\"title\":\"A\",\"text\":\"Kafka partitions keep per-key order.\"}")
                .post("/documents")
                .then()
                .statusCode(200);
        String body = "{\"query\":\"partitions order\",\"mode\":\"keyword\"}";
        as(tenant).body(body).post("/search").then().statusCode(200).body("hits.size()", equalTo(1));
        try (var s = neo4j.session()) {
            s.run(
                            "MATCH (c:Chunk {tenant: $t, documentId: 'a'}) SET c.text = 'changed behind the back'",
                            Map.of("t", tenant))
                    .consume();
        }
        as(tenant)
                .body(body)
                .post("/search")
                .then()
                .body("hits[0].text", equalTo("Kafka partitions keep per-key order."));
        as(tenant)
                .body("{\"id\":\"b\",\"title\":\"B\",\"text\":\"Partitions and order again.\"}")
                .post("/documents")
                .then()
                .statusCode(200);
        as(tenant)
                .body(body)
                .post("/search")
                .then()
                .body("hits.size()", equalTo(1))
                .body("hits[0].documentId", equalTo("b"));
    }

    @Test
    void anInvalidationFromAnotherReplicaIsAppliedOncePerEventId() throws InterruptedException {
        entity(tenant, "svc", "{\"owner\":\"ann\"}");
        assertThat(owner(tenant, "svc")).isEqualTo("ann");
        behindTheBack(tenant, "svc", "{\"owner\":\"store\"}");
        assertThat(owner(tenant, "svc")).isEqualTo("ann");
        String genKey = "kc:" + tenant + ":gen:graph";
        String before = redis.value(String.class).get(genKey);

        String id = UUID.randomUUID().toString();
        String event = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/devloop/knowledge-service\","
                + "\"type\":\"dev.devloop.cache.invalidated\",\"tenant\":\"" + tenant
                + "\",\"data\":{\"cache\":\"knowledge\","
                + "\"regions\":[\"graph\"],\"keys\":[],\"reason\":\"test\"}}";
        double duplicates = counter("devloop.knowledge.cache.invalidations.received", "outcome", "duplicate");
        KafkaTestClient.send(Topics.CACHE_INVALIDATION, "kc:" + tenant, event);
        eventually(() -> "store".equals(owner(tenant, "svc")));
        String after = redis.value(String.class).get(genKey);
        assertThat(Long.parseLong(after)).isEqualTo(Long.parseLong(before) + 1);

        KafkaTestClient.send(Topics.CACHE_INVALIDATION, "kc:" + tenant, event);
        eventually(
                () -> counter("devloop.knowledge.cache.invalidations.received", "outcome", "duplicate") > duplicates);
        assertThat(redis.value(String.class).get(genKey))
                .as("a redelivered event bumps nothing")
                .isEqualTo(after);
    }

    @Test
    void aKeyInvalidationEventEvictsThatFactAndOtherCachesEventsAreIgnored() throws InterruptedException {
        as(tenant)
                .body("{\"value\":\"v1\"}")
                .put("/facts/{e}/{a}", "web", "mode")
                .then()
                .statusCode(200);
        drainInvalidations("\"facts:fact:web:mode\"");
        as(tenant).get("/facts/{e}/{a}", "web", "mode").then().body("value", equalTo("v1"));
        try (var s = neo4j.session()) {
            s.run(
                            "MATCH (f:Fact {tenant: $t, entity: 'web', attribute: 'mode'}) SET f.value = '\"store\"'",
                            Map.of("t", tenant))
                    .consume();
        }
        double ignored = counter("devloop.knowledge.cache.invalidations.received", "outcome", "ignored");
        KafkaTestClient.send(
                Topics.CACHE_INVALIDATION,
                "x",
                "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID()
                        + "\",\"source\":\"/devloop/provider-gateway\",\"type\":\"dev.devloop.cache.invalidated\",\"tenant\":\""
                        + tenant + "\",\"data\":{\"cache\":\"provider\",\"keys\":[\"facts:fact:web:mode\"]}}");
        eventually(() -> counter("devloop.knowledge.cache.invalidations.received", "outcome", "ignored") > ignored);
        as(tenant).get("/facts/{e}/{a}", "web", "mode").then().body("value", equalTo("v1"));

        KafkaTestClient.send(
                Topics.CACHE_INVALIDATION,
                "kc:" + tenant,
                "{\"specversion\":\"1.0\",\"id\":\""
                        + UUID.randomUUID()
                        + "\",\"source\":\"/devloop/knowledge-service\",\"type\":\"dev.devloop.cache.invalidated\","
                        + "\"tenant\":\"" + tenant
                        + "\",\"data\":{\"cache\":\"knowledge\",\"keys\":[\"facts:fact:web:mode\"]}}");
        eventually(() -> "store"
                .equals(as(tenant)
                        .get("/facts/{e}/{a}", "web", "mode")
                        .then()
                        .extract()
                        .path("value")));
    }

    @Test
    void aPoisonInvalidationGoesToTheDeadLetterTopic() {
        String id = UUID.randomUUID().toString();
        KafkaTestClient.send(
                Topics.CACHE_INVALIDATION,
                "kc:" + tenant,
                "{\"specversion\":\"1.0\",\"id\":\"" + id
                        + "\",\"source\":\"x\",\"type\":\"dev.devloop.cache.invalidated\",\"tenant\":\"" + tenant
                        + "\",\"data\":{\"cache\":\"knowledge\",\"regions\":[\"everything\"]}}");
        assertThat(KafkaTestClient.await(
                        Topics.deadLetter(Topics.CACHE_INVALIDATION), v -> v.contains(id), Duration.ofSeconds(20)))
                .isTrue();
    }

    @Test
    void deleteCacheClearsARegionOrAllAndValidates() {
        entity(tenant, "svc", "{\"owner\":\"ann\"}");
        assertThat(owner(tenant, "svc")).isEqualTo("ann");
        behindTheBack(tenant, "svc", "{\"owner\":\"store\"}");
        as(tenant).delete("/cache/search").then().statusCode(200).body("regions", equalTo(java.util.List.of("search")));
        assertThat(owner(tenant, "svc")).isEqualTo("ann");
        as(tenant)
                .delete("/cache/graph")
                .then()
                .statusCode(200)
                .body("tenant", equalTo(tenant))
                .body("regions", equalTo(java.util.List.of("graph")));
        assertThat(owner(tenant, "svc")).isEqualTo("store");
        behindTheBack(tenant, "svc", "{\"owner\":\"again\"}");
        as(tenant)
                .delete("/cache")
                .then()
                .statusCode(200)
                .body("regions", equalTo(java.util.List.of("facts", "graph", "search")));
        assertThat(owner(tenant, "svc")).isEqualTo("again");

        as(tenant)
                .delete("/cache/everything")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("region"));
        given().delete("/cache").then().statusCode(400).body("field", equalTo(Headers.TENANT));
    }

    @Test
    void cacheMetricsArePublishedForPrometheus() {
        entity(tenant, "svc", "{}");
        owner(tenant, "svc");
        owner(tenant, "svc");
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("devloop_knowledge_cache_hits_total{cache=\"entity\"")
                .contains("devloop_knowledge_cache_misses_total{cache=\"entity\"");
    }
}
