package dev.devloop.knowledge.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import dev.devloop.contracts.Headers;
import dev.devloop.knowledge.ports.in.EmbedEntitiesUseCase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

/**
 * Semantic search and similar entities on the real Neo4j vector index with the in-process MiniLM model. The tests
 * that only read share one corpus (written once: each entity is embedded on write); the two that change it write
 * their own.
 */
@QuarkusTest
class EntitySimilarityTest {
    @Inject
    Driver neo4j;

    @Inject
    EmbedEntitiesUseCase backfill;

    private static String shared;

    private String tenant;

    @BeforeEach
    void sharedCorpus() {
        if (shared == null) {
            shared = corpus();
        }
        tenant = shared;
    }

    /** A new tenant holding the seven entities. */
    private String corpus() {
        String fresh = "t-" + UUID.randomUUID();
        entity(
                fresh,
                "orders-db",
                "database",
                "{\"description\":\"PostgreSQL relational database storing customer orders\"}");
        entity(
                fresh,
                "users-db",
                "database",
                "{\"description\":\"MySQL relational database holding user accounts and passwords\"}");
        entity(fresh, "payments-api", "service", "{\"description\":\"processes credit card payments and refunds\"}");
        entity(
                fresh,
                "billing-worker",
                "service",
                "{\"description\":\"charges customers and sends invoices for payments\"}");
        entity(fresh, "alice", "person", "{\"role\":\"frontend engineer building React user interfaces\"}");
        entity(
                fresh,
                "event-bus",
                "queue",
                "{\"description\":\"Kafka message broker streaming events between services\"}");
        entity(
                fresh,
                "gpu-node",
                "host",
                "{\"description\":\"machine with graphics cards for training neural networks\"}");
        return fresh;
    }

    private RequestSpecification as(String t) {
        return given().header(Headers.TENANT, t).contentType(ContentType.JSON);
    }

    private void entity(String t, String id, String type, String properties) {
        as(t).body("{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"properties\":" + properties + "}")
                .post("/entities")
                .then()
                .statusCode(200);
    }

    private JsonPath search(String t, String body) {
        return as(t).body(body)
                .post("/entities/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void entitiesAreEmbeddedOnWriteIntoTheVectorIndex() {
        try (var s = neo4j.session()) {
            var row = s.run(
                            "MATCH (e:Entity {tenant: $t, id: 'orders-db'}) RETURN size(e.embedding) AS n",
                            Map.of("t", tenant))
                    .single();
            assertThat(row.get("n").asInt()).isEqualTo(384);
            var index = s.run(
                            "SHOW VECTOR INDEXES YIELD name, labelsOrTypes, properties WHERE name = 'devloop_shared_entity_embedding' "
                                    + "RETURN labelsOrTypes, properties")
                    .single();
            assertThat(index.get("labelsOrTypes").asList()).containsExactly("SharedEntity");
            assertThat(index.get("properties").asList()).containsExactly("embedding");
        }
    }

    @Test
    void entitiesLeftWithoutAVectorAreBackfilled() {
        tenant = corpus();
        try (var s = neo4j.session()) {
            s.run("MATCH (e:Entity {tenant: $t, id: 'gpu-node'}) REMOVE e.embedding", Map.of("t", tenant))
                    .consume();
        }
        assertThat(search(tenant, "{\"query\":\"machine learning hardware\",\"limit\":50}")
                        .getList("hits.id", String.class))
                .doesNotContain("gpu-node");
        int rounds = 0;
        while (backfill.embedMissing(500) > 0 && rounds++ < 20) {
            // other tenants' entities may be waiting too
        }
        try (var s = neo4j.session()) {
            assertThat(s.run(
                                    "MATCH (e:Entity {tenant: $t, id: 'gpu-node'}) RETURN size(e.embedding) AS n",
                                    Map.of("t", tenant))
                            .single()
                            .get("n")
                            .asInt())
                    .isEqualTo(384);
        }
        assertThat(search(tenant, "{\"query\":\"machine learning hardware\",\"limit\":50}")
                        .getList("hits.id", String.class)
                        .get(0))
                .as("the backfill invalidated the cached search")
                .isEqualTo("gpu-node");
    }

    @Test
    void semanticSearchRanksTheRelevantEntitiesFirst() {
        JsonPath found = search(tenant, "{\"query\":\"which SQL database keeps the data?\",\"limit\":3}");
        List<String> ids = found.getList("hits.id");
        assertThat(ids.subList(0, 2)).containsExactlyInAnyOrder("orders-db", "users-db");
        List<Float> scores = found.getList("hits.score", Float.class);
        assertThat(scores).isSortedAccordingTo((a, b) -> Float.compare(b, a));
        assertThat(scores).allSatisfy(s -> assertThat(s).isBetween(0f, 1f));

        assertThat(search(tenant, "{\"query\":\"taking money from credit cards\"}")
                        .getList("hits.id", String.class)
                        .get(0))
                .isEqualTo("payments-api");
        assertThat(search(tenant, "{\"query\":\"who writes the web UI?\"}")
                        .getList("hits.id", String.class)
                        .get(0))
                .isEqualTo("alice");
        assertThat(search(tenant, "{\"query\":\"machine learning hardware\"}")
                        .getList("hits.id", String.class)
                        .get(0))
                .isEqualTo("gpu-node");
    }

    @Test
    void theTypeFilterAndLimitApply() {
        as(tenant)
                .body("{\"query\":\"payments\",\"type\":\"service\",\"limit\":5}")
                .post("/entities/search")
                .then()
                .statusCode(200)
                .body("hits", hasSize(2))
                .body("hits.type", everyItem(equalTo("service")));
        as(tenant)
                .body("{\"query\":\"anything\",\"limit\":1}")
                .post("/entities/search")
                .then()
                .statusCode(200)
                .body("hits", hasSize(1));
    }

    @Test
    void similarEntitiesExcludeTheEntityItselfAndRankItsKindFirst() {
        as(tenant)
                .get("/entities/{id}/similar?limit=3", "orders-db")
                .then()
                .statusCode(200)
                .body("id", equalTo("orders-db"))
                .body("hits[0].id", equalTo("users-db"))
                .body("hits.id", not(hasItem("orders-db")))
                .body("hits", hasSize(3));
        as(tenant)
                .get("/entities/{id}/similar?limit=1", "payments-api")
                .then()
                .statusCode(200)
                .body("hits[0].id", equalTo("billing-worker"));
    }

    @Test
    void anUpdatedEntityIsReEmbeddedAndFoundByItsNewMeaning() {
        tenant = corpus();
        String query = "{\"query\":\"kubernetes cluster scheduling containers\",\"limit\":1}";
        assertThat(search(tenant, query).getList("hits.id", String.class).get(0))
                .isNotEqualTo("alice");
        entity(
                tenant,
                "alice",
                "person",
                "{\"role\":\"platform engineer running the Kubernetes clusters and container scheduling\"}");
        assertThat(search(tenant, query).getList("hits.id", String.class).get(0))
                .isEqualTo("alice");
    }

    @Test
    void otherTenantsEntitiesAreNeverReturned() {
        String other = "t-" + UUID.randomUUID();
        entity(
                other,
                "secret-db",
                "database",
                "{\"description\":\"PostgreSQL relational database storing customer orders\"}");
        assertThat(search(tenant, "{\"query\":\"PostgreSQL database storing customer orders\",\"limit\":50}")
                        .getList("hits.id", String.class))
                .doesNotContain("secret-db")
                .contains("orders-db");
        assertThat(search(other, "{\"query\":\"PostgreSQL database storing customer orders\",\"limit\":50}")
                        .getList("hits.id", String.class))
                .containsExactly("secret-db");
        as(other).get("/entities/{id}/similar", "orders-db").then().statusCode(404);
        as(tenant)
                .get("/entities/{id}/similar?limit=50", "orders-db")
                .then()
                .statusCode(200)
                .body("hits.id", not(hasItem("secret-db")));
    }

    @Test
    void badRequestsAreRejectedNamingTheField() {
        as(tenant)
                .body("{\"query\":\" \"}")
                .post("/entities/search")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("query"));
        as(tenant)
                .body("{\"query\":\"x\",\"limit\":0}")
                .post("/entities/search")
                .then()
                .statusCode(400)
                .body("field", equalTo("limit"));
        as(tenant)
                .body("{\"query\":\"x\",\"limit\":51}")
                .post("/entities/search")
                .then()
                .statusCode(400)
                .body("field", equalTo("limit"));
        as(tenant)
                .body("{\"query\":\"x\",\"type\":\"bad type!\"}")
                .post("/entities/search")
                .then()
                .statusCode(400)
                .body("field", equalTo("type"));
        as(tenant)
                .body("{\"query\":\"" + "x".repeat(1001) + "\"}")
                .post("/entities/search")
                .then()
                .statusCode(400)
                .body("field", equalTo("query"));
        as(tenant)
                .get("/entities/{id}/similar?limit=0", "orders-db")
                .then()
                .statusCode(400)
                .body("field", equalTo("limit"));
        as(tenant)
                .get("/entities/{id}/similar", "nobody")
                .then()
                .statusCode(404)
                .body("type", equalTo("https://devloop.dev/problems/entity-not-found"));
        given().contentType(ContentType.JSON)
                .body("{\"query\":\"x\"}")
                .post("/entities/search")
                .then()
                .statusCode(400)
                .body("field", equalTo(Headers.TENANT));
    }

    @Test
    void propertyFiltersKeepOnlyMatchingEntitiesInsideTheQuery() {
        String t = "t-" + UUID.randomUUID();
        entity(
                t,
                "svc-a",
                "service",
                "{\"description\":\"payment processing service\",\"env\":\"prod\",\"replicas\":3,\"public\":true}");
        entity(
                t,
                "svc-b",
                "service",
                "{\"description\":\"payment gateway service\",\"env\":\"staging\",\"replicas\":2}");
        entity(
                t,
                "svc-c",
                "service",
                "{\"description\":\"payment refunds service\",\"env\":\"prod\",\"replicas\":1,\"public\":false}");
        entity(
                t,
                "svc-d",
                "service",
                "{\"description\":\"payment reports\",\"env\":\"dev\",\"nested\":{\"env\":\"prod\"}}");
        String q = "{\"query\":\"payment service\",\"limit\":10,\"filters\":";
        assertThat(search(t, q + "{\"env\":\"prod\"}}").getList("hits.id", String.class))
                .containsExactlyInAnyOrder("svc-a", "svc-c");
        assertThat(search(t, q + "{\"env\":{\"in\":[\"staging\",\"dev\"]}}}").getList("hits.id", String.class))
                .containsExactlyInAnyOrder("svc-b", "svc-d");
        assertThat(search(t, q + "{\"env\":{\"eq\":\"prod\"},\"public\":true}}").getList("hits.id", String.class))
                .containsExactly("svc-a");
        assertThat(search(t, q + "{\"replicas\":{\"eq\":3.0}}}").getList("hits.id", String.class))
                .as("3.0 matches 3")
                .containsExactly("svc-a");
        assertThat(search(t, q + "{\"replicas\":{\"in\":[1,2]},\"env\":\"prod\"}}")
                        .getList("hits.id", String.class))
                .containsExactly("svc-c");
        assertThat(search(t, q + "{\"nested\":\"prod\"}}").getList("hits.id", String.class))
                .as("nested values are not filterable")
                .isEmpty();
        assertThat(search(t, q + "{\"env\":\"prod\"}}").getList("hits.score", Float.class))
                .as("best first")
                .isSortedAccordingTo((a, b) -> Float.compare(b, a));

        // an update re-derives the filterable copies: a new value matches, a value turned non-scalar no longer does
        entity(t, "svc-b", "service", "{\"env\":\"prod\"}");
        entity(t, "svc-a", "service", "{\"public\":{\"since\":2020}}");
        assertThat(search(t, q + "{\"env\":\"prod\"}}").getList("hits.id", String.class))
                .containsExactlyInAnyOrder("svc-a", "svc-b", "svc-c");
        assertThat(search(t, q + "{\"public\":true}}").getList("hits.id", String.class))
                .isEmpty();
        // the filter is applied per tenant: the same properties elsewhere are never returned
        assertThat(search(tenant, q + "{\"env\":\"prod\"}}").getList("hits.id", String.class))
                .isEmpty();
    }

    @Test
    void badPropertyFiltersAreRejectedNamingTheField() {
        String q = "{\"query\":\"x\",\"filters\":";
        as(tenant)
                .body(q + "{\"env\":{\"gt\":1}}}")
                .post("/entities/search")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("filters.env.gt"));
        as(tenant)
                .body(q + "{\"env\":{\"in\":[]}}}")
                .post("/entities/search")
                .then()
                .statusCode(400)
                .body("field", equalTo("filters.env.in"));
        as(tenant)
                .body(q + "{\"env\":{\"in\":\"prod\"}}}")
                .post("/entities/search")
                .then()
                .statusCode(400)
                .body("field", equalTo("filters.env.in"));
        as(tenant)
                .body(q + "{\"env\":{\"in\":[[1]]}}}")
                .post("/entities/search")
                .then()
                .statusCode(400)
                .body("field", equalTo("filters.env.in"));
        as(tenant)
                .body(q + "{\"env\":{\"eq\":1,\"in\":[1]}}}")
                .post("/entities/search")
                .then()
                .statusCode(400)
                .body("field", equalTo("filters.env"));
        as(tenant)
                .body(q + "{\"env\":null}}")
                .post("/entities/search")
                .then()
                .statusCode(400)
                .body("field", equalTo("filters.env"));
        as(tenant)
                .body(q + "{\"bad key!\":1}}")
                .post("/entities/search")
                .then()
                .statusCode(400)
                .body("field", equalTo("filters.bad key!"));
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 17; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
        }
        as(tenant)
                .body(q + many + "}}")
                .post("/entities/search")
                .then()
                .statusCode(400)
                .body("field", equalTo("filters"));
        StringBuilder values = new StringBuilder("[");
        for (int i = 0; i < 101; i++) {
            values.append(i == 0 ? "" : ",").append(i);
        }
        as(tenant)
                .body(q + "{\"n\":{\"in\":" + values + "]}}}")
                .post("/entities/search")
                .then()
                .statusCode(400)
                .body("field", equalTo("filters.n.in"));
    }
}
