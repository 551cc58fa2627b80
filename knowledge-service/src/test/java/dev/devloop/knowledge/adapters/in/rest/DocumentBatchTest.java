package dev.devloop.knowledge.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.devloop.contracts.Headers;
import dev.devloop.knowledge.ports.out.DocumentStorePort;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;

/** {@code POST /documents/batch} against the real Neo4j, Redis (search cache) and Kafka (its invalidations). */
@QuarkusTest
class DocumentBatchTest {
    @Inject
    Driver driver;

    @Inject
    DocumentStorePort documentStore;

    private String tenant;
    private String other;

    @BeforeEach
    void newTenants() {
        tenant = "t-" + UUID.randomUUID();
        other = "other-" + tenant;
    }

    @AfterEach
    void dropTenants() {
        try (Session s = driver.session()) {
            s.run(
                            "MATCH (n) WHERE (n:Document OR n:Chunk) AND n.tenant IN $tenants DETACH DELETE n",
                            Map.of("tenants", List.of(tenant, other)))
                    .consume();
        }
    }

    private static Map<String, Object> doc(String id, String text) {
        Map<String, Object> d = new HashMap<>();
        d.put("id", id);
        d.put("title", "Title " + id);
        d.put("text", text);
        d.put("metadata", Map.of("team", "core"));
        return d;
    }

    private io.restassured.response.Response post(String t, List<?> documents) {
        return given().header(Headers.TENANT, t)
                .contentType(ContentType.JSON)
                .body(Map.of("documents", documents))
                .post("/documents/batch");
    }

    private JsonPath batch(String t, List<?> documents) {
        return post(t, documents).then().statusCode(200).extract().jsonPath();
    }

    private List<String> keywordHits(String t, String query) {
        return given().header(Headers.TENANT, t)
                .contentType(ContentType.JSON)
                .body(Map.of("query", query, "mode", "keyword", "limit", 10)) // hits are chunks: an id per chunk
                .post("/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("hits.documentId", String.class);
    }

    private Map<String, Object> stored(String t, String id) {
        try (Session s = driver.session()) {
            return s.run(
                            "MATCH (d:Document {tenant: $t, id: $id}) OPTIONAL MATCH (d)-[:HAS_CHUNK]->(c:Chunk {tenant: $t}) "
                                    + "RETURN d.updatedAt AS updatedAt, count(c) AS chunks",
                            Map.of("t", t, "id", id))
                    .single()
                    .asMap();
        }
    }

    private JsonPath single(String t, Map<String, Object> document) {
        return given().header(Headers.TENANT, t)
                .contentType(ContentType.JSON)
                .body(document)
                .post("/documents")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /**
     * Stop 34: the single route reads the stored hash during the embedding (the in-process model stops early). A
     * re-post is still a no-op (the stored document, nothing rewritten) and an edit is written and searchable when
     * its answer arrives; the asynchronous hash read answers what the blocking one does.
     */
    @Test
    void aSingleRepostIsUnchangedAndAnEditIsSearchableOnItsAnswer() {
        String longText = "Zeppelin hangars need wide doors and calm weather. ".repeat(40);
        JsonPath first = single(tenant, doc("a", longText));
        Object updatedAt = stored(tenant, "a").get("updatedAt");
        assertThat(stored(tenant, "a").get("chunks")).isEqualTo((long) first.getInt("chunkCount"));

        JsonPath again = single(tenant, doc("a", longText));
        // the stored document comes back (its time at the store's millisecond precision), nothing is rewritten
        assertThat(java.time.Instant.parse(again.getString("updatedAt")).toEpochMilli())
                .isEqualTo(updatedAt);
        assertThat(stored(tenant, "a").get("updatedAt")).isEqualTo(updatedAt);

        single(tenant, doc("a", "Airships moor at masts, edited."));
        assertThat(keywordHits(tenant, "masts")).containsExactly("a");
        assertThat(keywordHits(tenant, "hangars")).isEmpty();
        assertThat(stored(tenant, "a").get("chunks")).isEqualTo(1L);
        assertThat(documentStore.contentHashesAsync(tenant, List.of("a", "b")).join())
                .isEqualTo(documentStore.contentHashes(tenant, List.of("a", "b")))
                .containsOnlyKeys("a");
    }

    @Test
    void aBatchIsWrittenSearchableAndARepostIsUnchanged() {
        assertThat(keywordHits(tenant, "zeppelin")).isEmpty(); // cached now: the batch must invalidate it
        String longText = "Zeppelin hangars need wide doors and calm weather. ".repeat(40);
        JsonPath first = batch(
                tenant,
                List.of(doc("a", "Zeppelin routes cross the channel."), doc("b", longText), doc("c", "Gliders.")));
        assertThat(first.getInt("created")).isEqualTo(3);
        assertThat(first.getList("results.result", String.class)).containsExactly("created", "created", "created");
        assertThat(first.getList("results.id", String.class)).containsExactly("a", "b", "c");
        int bChunks = first.getInt("results[1].chunkCount");
        assertThat(bChunks).isGreaterThan(1);
        assertThat(stored(tenant, "b").get("chunks")).isEqualTo((long) bChunks);
        assertThat(keywordHits(tenant, "zeppelin")).containsOnly("a", "b");

        Object updatedAt = stored(tenant, "a").get("updatedAt");
        JsonPath again = batch(
                tenant,
                List.of(
                        doc("a", "Zeppelin routes cross the channel."),
                        doc("b", longText),
                        doc("c", "Gliders, edited.")));
        assertThat(again.getList("results.result", String.class)).containsExactly("unchanged", "unchanged", "replaced");
        assertThat(again.getInt("unchanged")).isEqualTo(2);
        assertThat(again.getInt("replaced")).isEqualTo(1);
        assertThat(stored(tenant, "a").get("updatedAt")).isEqualTo(updatedAt);
        assertThat(stored(tenant, "b").get("chunks")).isEqualTo((long) bChunks);
        assertThat(keywordHits(tenant, "edited")).containsExactly("c");

        given().header(Headers.TENANT, tenant)
                .get("/documents/{id}", "b")
                .then()
                .statusCode(200)
                .body("chunkCount", equalTo(bChunks))
                .body("metadata.team", equalTo("core"));
    }

    @Test
    void oneBadDocumentIsRejectedWithItsIndexAndTheOthersAreWritten() {
        Map<String, Object> noTitle = doc("b", "Balloons.");
        noTitle.remove("title");
        List<Object> documents = new ArrayList<>();
        documents.add(doc("a", "Airships."));
        documents.add(noTitle);
        documents.add(doc("c", ""));
        documents.add(doc("d", "Dirigibles."));
        JsonPath r = batch(tenant, documents);

        assertThat(r.getList("results.result", String.class))
                .containsExactly("created", "rejected", "rejected", "created");
        assertThat(r.getInt("rejected")).isEqualTo(2);
        assertThat(r.getString("results[1].problem.field")).isEqualTo("documents[1].title");
        assertThat(r.getInt("results[1].problem.status")).isEqualTo(400);
        assertThat(r.getString("results[1].problem.type")).endsWith("/invalid-request");
        assertThat(r.getString("results[2].problem.field")).isEqualTo("documents[2].text");
        given().header(Headers.TENANT, tenant)
                .get("/documents/{id}", "b")
                .then()
                .statusCode(404);
        given().header(Headers.TENANT, tenant)
                .get("/documents/{id}", "d")
                .then()
                .statusCode(200);
    }

    @Test
    void tenantsAreIsolated() {
        batch(tenant, List.of(doc("a", "Airships of the first tenant.")));
        JsonPath theirs = batch(other, List.of(doc("a", "Airships of the first tenant.")));
        // the same id and content in another tenant is that tenant's own new document, not "unchanged"
        assertThat(theirs.getList("results.result", String.class)).containsExactly("created");
        batch(other, List.of(doc("a", "Kites of the second tenant.")));

        assertThat(keywordHits(tenant, "airships")).containsExactly("a");
        assertThat(keywordHits(tenant, "kites")).isEmpty();
        assertThat(keywordHits(other, "kites")).containsExactly("a");
        assertThat(keywordHits(other, "airships")).isEmpty();
    }

    @Test
    void theBoundsRefuseTheWholeBatchNamingDocuments() {
        post(tenant, List.of()).then().statusCode(400).body("field", equalTo("documents"));
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/documents/batch")
                .then()
                .statusCode(400)
                .body("field", equalTo("documents"));

        List<Object> tooMany = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            tooMany.add(doc("d" + i, "x"));
        }
        post(tenant, tooMany)
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("field", equalTo("documents"));

        String mib = "y".repeat(1024 * 1024 - 1);
        List<Object> tooBig = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tooBig.add(doc("big" + i, mib));
        }
        post(tenant, tooBig).then().statusCode(413).body("field", equalTo("documents"));
        given().header(Headers.TENANT, tenant)
                .get("/documents/{id}", "d0")
                .then()
                .statusCode(404);
        given().header(Headers.TENANT, tenant)
                .get("/documents/{id}", "big0")
                .then()
                .statusCode(404);
    }
}
