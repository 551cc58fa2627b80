package dev.devloop.knowledge.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.identity.testing.TestCredentials;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;

@QuarkusTest
class DocumentSearchTest {
    @Inject
    Driver driver;

    private String tenant;

    @BeforeEach
    void newTenant() {
        tenant = "t-" + UUID.randomUUID();
    }

    @AfterEach
    void dropTenantChunks() {
        try (Session s = driver.session()) {
            s.run(
                            "MATCH (n) WHERE (n:Document OR n:Chunk) AND n.tenant IN $tenants DETACH DELETE n",
                            Map.of("tenants", List.of(tenant, "other-" + tenant)))
                    .consume();
        }
    }

    private RequestSpecification as(String t) {
        return given().header(Headers.TENANT, t).contentType(ContentType.JSON);
    }

    private JsonPath ingest(String t, String id, String title, String text, Map<String, Object> metadata) {
        Map<String, Object> body = new HashMap<>();
        body.put("id", id);
        body.put("title", title);
        body.put("text", text);
        body.put("contentType", "text/markdown");
        body.put("metadata", metadata);
        return as(t).body(body)
                .post("/documents")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private JsonPath search(String t, Map<String, Object> body) {
        return as(t).body(body).post("/search").then().statusCode(200).extract().jsonPath();
    }

    private long chunksInNeo4j(String t, String id) {
        try (Session s = driver.session()) {
            return s.run(
                            "MATCH (:Document {tenant: $t, id: $id})-[:HAS_CHUNK]->(c:Chunk {tenant: $t}) RETURN count(c) AS n",
                            Map.of("t", t, "id", id))
                    .single()
                    .get("n")
                    .asLong();
        }
    }

    @Test
    void aMarkdownOrPlainFileIsIngestedFromItsBody() {
        String markdown = "# Runbook\n\nRestart the **payments** worker when the queue backs up.\n";
        given().header(Headers.TENANT, tenant)
                .contentType("text/markdown")
                .body(markdown)
                .queryParam("title", "Payments runbook")
                .queryParam("team", "payments")
                .put("/documents/{id}", "runbook")
                .then()
                .statusCode(200)
                .body("id", equalTo("runbook"))
                .body("title", equalTo("Payments runbook"))
                .body("contentType", equalTo("text/markdown"))
                .body("metadata.team", equalTo("payments"))
                .body("chunkCount", equalTo(1));
        assertThat(search(
                                tenant,
                                Map.of(
                                        "query",
                                        "restart worker queue",
                                        "mode",
                                        "keyword",
                                        "filters",
                                        Map.of("team", "payments")))
                        .getList("hits.documentId", String.class))
                .containsExactly("runbook");
        given().header(Headers.TENANT, tenant)
                .contentType("text/plain")
                .body("plain notes about nothing")
                .queryParam("title", "Notes")
                .put("/documents/{id}", "runbook")
                .then()
                .statusCode(200)
                .body("contentType", equalTo("text/plain"));
        given().header(Headers.TENANT, tenant)
                .contentType("text/plain")
                .body("x")
                .put("/documents/{id}", "untitled")
                .then()
                .statusCode(400)
                .body("field", equalTo("title"));
        given().header(Headers.TENANT, tenant)
                .contentType("text/plain")
                .body("x")
                .queryParam("title", "t")
                .queryParam("bad key!", "v")
                .put("/documents/{id}", "badmeta")
                .then()
                .statusCode(400)
                .body("field", equalTo("metadata"));
        given().header(Headers.TENANT, tenant)
                .contentType("application/pdf")
                .body("x".getBytes())
                .queryParam("title", "t")
                .put("/documents/{id}", "pdf")
                .then()
                .statusCode(415);
    }

    @Test
    void ingestReadReplaceAndDeleteADocument() {
        String text = ("Kafka partitions keep records of one key in order. ".repeat(12) + "\n\n").repeat(4);
        JsonPath doc = ingest(tenant, "kafka-guide", "Kafka guide", text, Map.of("team", "platform", "version", 3));
        int chunks = doc.getInt("chunkCount");
        assertThat(chunks).isGreaterThan(1);
        assertThat(chunksInNeo4j(tenant, "kafka-guide")).isEqualTo(chunks);
        try (Session s = driver.session()) {
            var row = s.run(
                            "MATCH (c:Chunk {tenant: $t, documentId: 'kafka-guide', index: 0}) "
                                    + "RETURN size(c.embedding) AS dims, c.m_team AS team, c.m_version AS version",
                            Map.of("t", tenant))
                    .single();
            assertThat(row.get("dims").asInt()).isEqualTo(384);
            assertThat(row.get("team").asString()).isEqualTo("platform");
            assertThat(row.get("version").asLong()).isEqualTo(3);
        }
        as(tenant)
                .get("/documents/kafka-guide")
                .then()
                .statusCode(200)
                .body("title", equalTo("Kafka guide"))
                .body("chunkCount", equalTo(chunks))
                .body("metadata.team", equalTo("platform"))
                .body("contentType", equalTo("text/markdown"));

        ingest(tenant, "kafka-guide", "Kafka guide v2", "A much shorter guide.", Map.of());
        assertThat(chunksInNeo4j(tenant, "kafka-guide")).isEqualTo(1);
        as(tenant)
                .get("/documents/kafka-guide")
                .then()
                .statusCode(200)
                .body("chunkCount", equalTo(1))
                .body("title", equalTo("Kafka guide v2"));
        as("other-" + tenant).get("/documents/kafka-guide").then().statusCode(404);

        JsonPath generated = ingest(tenant, null, "No id", "Text without an id.", null);
        assertThat(generated.getString("id")).isNotBlank();

        as(tenant).delete("/documents/kafka-guide").then().statusCode(204);
        assertThat(chunksInNeo4j(tenant, "kafka-guide")).isZero();
        as(tenant)
                .get("/documents/kafka-guide")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", containsString("document-not-found"));
        as(tenant).delete("/documents/kafka-guide").then().statusCode(404);
    }

    @Test
    void everySearchModeFindsTheRightChunkOnlyInTheTenant() {
        ingest(
                tenant,
                "whales",
                "Whales",
                "Blue whales are the largest animals ever known; they feed on krill in cold " + "oceans.",
                Map.of("kind", "animal"));
        ingest(
                tenant,
                "rust",
                "Rust",
                "Rust's ownership and borrowing rules prevent data races at compile time.",
                Map.of("kind", "code"));
        ingest(
                tenant,
                "espresso",
                "Espresso",
                "Espresso is brewed by forcing hot water through finely ground coffee.",
                Map.of("kind", "food"));
        String other = "other-" + tenant;
        ingest(
                other,
                "whales-2",
                "Whales elsewhere",
                "Blue whales eat krill in cold oceans.",
                Map.of("kind", "animal"));

        for (String mode : List.of("vector", "keyword", "hybrid")) {
            JsonPath r = search(tenant, Map.of("query", "what do blue whales eat", "mode", mode, "limit", 3));
            assertThat(r.getList("hits.documentId", String.class)).as(mode).doesNotContain("whales-2");
            assertThat(r.getString("hits[0].documentId")).as(mode).isEqualTo("whales");
            assertThat(r.getString("hits[0].source.title")).isEqualTo("Whales");
            assertThat(r.getString("hits[0].source.metadata.kind")).isEqualTo("animal");
            assertThat(r.getString("mode")).isEqualTo(mode);
        }
        JsonPath vector = search(tenant, Map.of("query", "memory safety in systems programming", "mode", "vector"));
        assertThat(vector.getString("hits[0].documentId")).isEqualTo("rust");
        assertThat(vector.getDouble("hits[0].vectorScore")).isEqualTo(vector.getDouble("hits[0].score"));
        assertThat(vector.getList("hits")).hasSize(3);

        JsonPath hybrid =
                search(tenant, Map.of("query", "ownership borrowing", "mode", "hybrid", "fusion", "rrf", "limit", 2));
        assertThat(hybrid.getString("hits[0].documentId")).isEqualTo("rust");
        assertThat(hybrid.getDouble("hits[0].keywordScore")).isGreaterThan(0);
        assertThat(hybrid.getDouble("hits[0].vectorScore")).isGreaterThan(0);

        JsonPath weighted = search(
                tenant,
                Map.of(
                        "query",
                        "ownership coffee",
                        "mode",
                        "hybrid",
                        "weights",
                        Map.of("vector", 0.0, "keyword", 1.0)));
        assertThat(weighted.getDouble("hits[0].score")).isEqualTo(1.0);

        JsonPath filtered =
                search(tenant, Map.of("query", "blue whales", "mode", "vector", "filters", Map.of("kind", "code")));
        assertThat(filtered.getList("hits.documentId", String.class)).containsExactly("rust");
        JsonPath keywordFiltered =
                search(tenant, Map.of("query", "whales coffee", "mode", "keyword", "filters", Map.of("kind", "food")));
        assertThat(keywordFiltered.getList("hits.documentId", String.class)).containsExactly("espresso");

        search(other, Map.of("query", "blue whales", "mode", "keyword"))
                .getList("hits.documentId", String.class)
                .forEach(id -> assertThat(id).isEqualTo("whales-2"));
    }

    @Test
    void luceneSyntaxInAKeywordQueryIsSearchedAsText() {
        ingest(
                tenant,
                "cpp",
                "C++",
                "In C++ a template (generic code) is instantiated at compile time: AND it is fast.",
                null);
        for (String q : List.of(
                "C++ template",
                "(generic) AND \"code",
                "compile:time~ -fast* ^2 \\ / [a TO z] {x}",
                "NOT OR AND",
                "?!*")) {
            as(tenant)
                    .body(Map.of("query", q, "mode", "keyword"))
                    .post("/search")
                    .then()
                    .statusCode(200)
                    .body("hits", notNullValue());
        }
        search(tenant, Map.of("query", "C++ template", "mode", "keyword"))
                .getList("hits.documentId", String.class)
                .forEach(id -> assertThat(id).isEqualTo("cpp"));
        assertThat(search(tenant, Map.of("query", "(generic)", "mode", "keyword"))
                        .getList("hits"))
                .hasSize(1);
    }

    @Test
    void badRequestsAreProblemsNamingTheField() {
        as(tenant)
                .body(Map.of("query", "x", "mode", "semantic"))
                .post("/search")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("mode"));
        as(tenant)
                .body(Map.of("query", "x", "limit", 51))
                .post("/search")
                .then()
                .statusCode(400)
                .body("field", equalTo("limit"));
        as(tenant)
                .body(Map.of("query", ""))
                .post("/search")
                .then()
                .statusCode(400)
                .body("field", equalTo("query"));
        as(tenant)
                .body(Map.of("query", "x", "filters", Map.of("a", List.of(1))))
                .post("/search")
                .then()
                .statusCode(400)
                .body("field", equalTo("filters.a"));
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "x"))
                .post("/search")
                .then()
                .statusCode(400)
                .body("field", equalTo(Headers.TENANT));
        // a blank header is no tenant: the caller's token (acting for no tenant) decides, the header is replaced
        as(" ").header("Authorization", TestCredentials.bearer("knowledge-service", null))
                .body(Map.of("title", "t", "text", "x"))
                .post("/documents")
                .then()
                .statusCode(400)
                .body("field", equalTo(Headers.TENANT));
        as(tenant)
                .body(Map.of("title", "t", "text", "x", "contentType", "application/pdf"))
                .post("/documents")
                .then()
                .statusCode(400)
                .body("field", equalTo("contentType"));
        as(tenant)
                .body(Map.of("text", "x"))
                .post("/documents")
                .then()
                .statusCode(400)
                .body("field", equalTo("title"));
        as(tenant)
                .body(Map.of("title", "t", "text", "x".repeat(1024 * 1024 + 1)))
                .post("/documents")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("field", equalTo("text"))
                .body("type", containsString("document-too-large"));
        as(tenant)
                .body(Map.of("title", "t", "text", "x", "metadata", Map.of("deep", Map.of("a", 1))))
                .post("/documents")
                .then()
                .statusCode(400)
                .body("field", equalTo("metadata.deep"));
        as(tenant).body("{\"title\": ").post("/documents").then().statusCode(400);
    }

    @Test
    void ragAnswersServiceUnavailableWhenProviderGatewayIsDown() {
        ingest(tenant, "whales", "Whales", "Blue whales feed on krill.", null);
        as(tenant)
                .body(Map.of("question", "What do blue whales eat?"))
                .post("/rag/query")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", containsString("provider-unavailable"));
        as(tenant)
                .body(Map.of("question", " "))
                .post("/rag/query")
                .then()
                .statusCode(400)
                .body("field", equalTo("question"));
        as(tenant)
                .body(Map.of("question", "q", "mode", "fuzzy"))
                .post("/rag/query")
                .then()
                .statusCode(400)
                .body("field", equalTo("mode"));
    }
}
