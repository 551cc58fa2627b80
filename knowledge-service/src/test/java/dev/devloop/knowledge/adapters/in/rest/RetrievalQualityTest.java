package dev.devloop.knowledge.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.contracts.Headers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;

/**
 * Retrieval quality on the corpus in {@code src/test/resources/corpus}: 20 short documents on distinct
 * topics and labelled queries (some sharing rare words with their document, some paraphrased). Prints
 * recall@5 per mode and fails when hybrid is below the best single mode.
 */
@QuarkusTest
class RetrievalQualityTest {
    private static final List<String> DOCUMENTS = List.of(
            "sourdough",
            "honeybees",
            "volcanoes",
            "chess-openings",
            "marathon-training",
            "photosynthesis",
            "blockchain",
            "jazz-history",
            "coral-reefs",
            "tax-deductions",
            "kubernetes-pods",
            "vaccines",
            "roman-aqueducts",
            "black-holes",
            "composting",
            "password-security",
            "coffee-brewing",
            "sleep-hygiene",
            "electric-cars",
            "origami");

    @Inject
    Driver driver;

    private final String tenant = "t-" + UUID.randomUUID();

    @AfterEach
    void dropCorpus() {
        try (Session s = driver.session()) {
            s.run("MATCH (n) WHERE (n:Document OR n:Chunk) AND n.tenant = $t DETACH DELETE n", Map.of("t", tenant))
                    .consume();
        }
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = RetrievalQualityTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void hybridRecallAtFiveIsAtLeastTheBestSingleMode() throws IOException {
        for (String id : DOCUMENTS) {
            String text = resource("/corpus/" + id + ".md");
            String title = text.lines().findFirst().orElseThrow().replaceFirst("^#\\s*", "");
            given().header(Headers.TENANT, tenant)
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "id",
                            id,
                            "title",
                            title,
                            "text",
                            text,
                            "contentType",
                            "text/markdown",
                            "metadata",
                            Map.of("corpus", "quality")))
                    .post("/documents")
                    .then()
                    .statusCode(200);
        }
        Map<String, String> queries = new LinkedHashMap<>();
        for (String line : resource("/corpus/queries.tsv").lines().toList()) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] parts = line.split("\t");
                assertThat(DOCUMENTS).contains(parts[1]);
                queries.put(parts[0], parts[1]);
            }
        }
        assertThat(queries).hasSizeGreaterThanOrEqualTo(15);

        Map<String, Double> recall = new LinkedHashMap<>();
        for (String mode : List.of("vector", "keyword", "hybrid")) {
            int found = 0;
            int first = 0;
            List<String> misses = new ArrayList<>();
            for (Map.Entry<String, String> q : queries.entrySet()) {
                List<String> ids = given().header(Headers.TENANT, tenant)
                        .contentType(ContentType.JSON)
                        .body(Map.of("query", q.getKey(), "mode", mode, "limit", 5))
                        .post("/search")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("hits.documentId", String.class);
                if (!ids.isEmpty() && ids.get(0).equals(q.getValue())) {
                    first++;
                }
                if (ids.contains(q.getValue())) {
                    found++;
                } else {
                    misses.add(q.getKey());
                }
            }
            recall.put(mode, (double) found / queries.size());
            System.out.printf(
                    "retrieval-quality mode=%s recall@5=%.3f (%d/%d) recall@1=%.3f misses@5=%s%n",
                    mode, recall.get(mode), found, queries.size(), (double) first / queries.size(), misses);
        }
        double bestSingle = Math.max(recall.get("vector"), recall.get("keyword"));
        assertThat(recall.get("hybrid"))
                .as("hybrid recall@5 vs best single mode")
                .isGreaterThanOrEqualTo(bestSingle);
    }
}
