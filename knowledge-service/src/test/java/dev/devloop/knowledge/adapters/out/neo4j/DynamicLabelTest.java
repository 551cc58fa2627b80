package dev.devloop.knowledge.adapters.out.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.domain.Document;
import dev.devloop.knowledge.domain.DocumentChunk;
import dev.devloop.knowledge.domain.ScoredChunk;
import dev.devloop.knowledge.ports.out.DocumentStorePort.HybridCandidates;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

/**
 * Stop 38: the document store's and entity graph's hot statements take the tenant label as a dynamic label and the
 * index name as a parameter, so their text is the same for every tenant. On the real Neo4j: the stored shape is the
 * one the inlined statements wrote (same labels), data written the old way is read and indexed as before, tenants stay
 * apart, and no value but a tenant label can reach a dynamic label.
 */
@QuarkusTest
class DynamicLabelTest {
    private static final int DIMS = 384;

    @Inject
    Neo4jGraph graph;

    @Inject
    ObjectMapper json;

    @Inject
    KnowledgeConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    Driver neo4j;

    private final Random random = new Random(38);
    private final List<String> tenants = new ArrayList<>();
    private Neo4jTenantVectors vectors;
    private Neo4jDocumentStore store;

    @BeforeEach
    void setUp() {
        // threshold 5: a handful of chunks takes a tenant to its own index
        vectors = new Neo4jTenantVectors(
                graph,
                new Neo4jTenantVectors.Settings(
                        5,
                        1000,
                        Duration.ofSeconds(60),
                        DIMS,
                        config.embeddings().localModel()),
                registry);
        vectors.labelled();
        store = new Neo4jDocumentStore(graph, json, config, vectors);
    }

    @AfterEach
    void cleanUp() {
        try (var s = neo4j.session()) {
            for (String t : tenants) {
                s.run("MATCH (n) WHERE n.tenant = $t DETACH DELETE n", Map.of("t", t))
                        .consume();
                for (Neo4jTenantVectors.Kind kind : Neo4jTenantVectors.Kind.values()) {
                    s.run("DROP INDEX `" + Neo4jTenantVectors.indexName(kind, t) + "` IF EXISTS")
                            .consume();
                }
            }
        }
    }

    private String tenant(String name) {
        String t = name + "-" + UUID.randomUUID();
        tenants.add(t);
        return t;
    }

    @Test
    void theStatementsHaveOneTextForEveryTenant() {
        for (String statement :
                List.of(Neo4jDocumentStore.REPLACE_ALL, Neo4jDocumentStore.HYBRID, Neo4jDocumentStore.GUARDED_EXACT)) {
            assertThat(statement).doesNotContain("TenantChunk_").doesNotContain("`");
        }
        assertThat(Neo4jDocumentStore.REPLACE_ALL).contains("c:Chunk:$($chunkLabel)");
    }

    @Test
    void aWriteGivesTheSameLabelsTheInlinedStatementGave() {
        String a = tenant("shape");
        seed(a, "doc", 2);
        Neo4jEntityGraph entities = new Neo4jEntityGraph(graph, json, config, vectors);
        entities.upsert(a, "orders-db", "database", "{\"engine\":\"postgres\"}", Instant.now());
        try (var s = neo4j.session()) {
            List<List<String>> chunkLabels = s.run("MATCH (c:Chunk {tenant: $t}) RETURN labels(c) AS l", Map.of("t", a))
                    .list(r -> sorted(r.get("l").asList(v -> v.asString())));
            assertThat(chunkLabels).hasSize(2).allSatisfy(l -> assertThat(l)
                    .as(
                            "the label the inlined statement wrote: %s",
                            Neo4jTenantVectors.label(Neo4jTenantVectors.Kind.CHUNK, a))
                    .containsExactly("Chunk", "TenantChunk_" + Neo4jTenantVectors.hash(a)));
            List<String> entityLabels = s.run(
                            "MATCH (e:Entity {tenant: $t, id: 'orders-db'}) RETURN labels(e) AS l", Map.of("t", a))
                    .single()
                    .get("l")
                    .asList(v -> v.asString());
            assertThat(sorted(entityLabels))
                    .containsExactly("Entity", Neo4jTenantVectors.labelName(Neo4jTenantVectors.Kind.ENTITY, a));
            // the label count (count store) sees the chunks the dynamic label created
            assertThat(s.run("MATCH (x:" + Neo4jTenantVectors.label(Neo4jTenantVectors.Kind.CHUNK, a)
                                    + ") RETURN count(x) AS n")
                            .single()
                            .get("n")
                            .asLong())
                    .isEqualTo(2);
        }
    }

    @Test
    void chunksWrittenByTheInlinedStatementAreReadAndIndexedAsBefore() {
        String a = tenant("old-shape");
        // four chunks written the way the store wrote them before stop 38: the label inlined in the CREATE
        List<float[]> old = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            float[] v = unit();
            old.add(v);
            rows.add(Map.of("index", i, "text", "legacy zebra chunk " + i, "embedding", list(v)));
        }
        Map<String, Object> p = new HashMap<>();
        p.put("tenant", a);
        p.put("token", Neo4jDocumentStore.tenantToken(a));
        p.put("rows", rows);
        p.put("model", vectors.model());
        try (var s = neo4j.session()) {
            s.executeWrite(tx -> tx.run(
                            "MERGE (d:Document {tenant: $tenant, id: 'legacy'}) SET d.title = 'legacy', "
                                    + "d.contentType = 'text/plain', d.chunkCount = 4, d.characters = 40, "
                                    + "d.metadata = '{}', d.updatedAt = timestamp(), d.contentHash = 'h' "
                                    + "WITH d UNWIND $rows AS row CREATE (d)-[:HAS_CHUNK]->(c:Chunk:"
                                    + Neo4jTenantVectors.label(Neo4jTenantVectors.Kind.CHUNK, a)
                                    + " {tenant: $tenant, documentId: 'legacy', index: row.index, text: row.text, "
                                    + "tenantToken: $token}) SET c.embedding = row.embedding, c."
                                    + Neo4jTenantVectors.MODEL_PROPERTY + " = $model",
                            p)
                    .consume());
        }
        // below the threshold: the one-statement searches (bounded count, exact scan) find them
        assertThat(store.nearest(a, old.get(2), 1, Map.of()))
                .singleElement()
                .satisfies(h -> assertThat(h.documentId()).isEqualTo("legacy"))
                .satisfies(h -> assertThat(h.chunkIndex()).isEqualTo(2));
        HybridCandidates both = store.hybrid(a, old.get(1), "zebra", 10, Map.of());
        assertThat(both.vector()).hasSize(4).first().satisfies(h -> assertThat(h.chunkIndex())
                .isEqualTo(1));
        assertThat(both.keyword()).hasSize(4).allMatch(h -> h.documentId().equals("legacy"));

        // a new write takes the tenant over the threshold: its own index, created over the same label, holds the
        // old chunks next to the new ones
        seed(a, "fresh", 3);
        String index = Neo4jTenantVectors.indexName(Neo4jTenantVectors.Kind.CHUNK, a);
        try (var s = neo4j.session()) {
            assertThat(s.run("SHOW VECTOR INDEXES YIELD name, state WHERE name = $n RETURN state", Map.of("n", index))
                            .single()
                            .get("state")
                            .asString())
                    .isEqualTo("ONLINE");
        }
        double viaOwnIndex = ownIndexSearches();
        List<ScoredChunk> viaIndex = store.nearest(a, old.get(3), 1, Map.of());
        assertThat(ownIndexSearches())
                .as("answered by the tenant's own index alone (no exact scan after it)")
                .isEqualTo(viaOwnIndex + 1);
        assertThat(viaIndex)
                .singleElement()
                .satisfies(h -> assertThat(h.documentId()).isEqualTo("legacy"))
                .satisfies(h -> assertThat(h.chunkIndex()).isEqualTo(3));
    }

    @Test
    void tenantANeverSeesTenantB() {
        String a = tenant("iso-a");
        String b = tenant("iso-b");
        float[] shared = seed(a, "doc-a", 2);
        // B's chunks: the same words and vectors as A's query, so only the tenant can keep them apart
        seed(b, "doc-b", 3, shared);
        for (String[] pair : new String[][] {{a, "doc-a", "2"}, {b, "doc-b", "3"}}) {
            String t = pair[0];
            assertThat(store.nearest(t, shared, 10, Map.of()))
                    .hasSize(Integer.parseInt(pair[2]))
                    .allMatch(h -> h.documentId().equals(pair[1]));
            HybridCandidates both = store.hybrid(t, shared, "chunk words", 10, Map.of());
            assertThat(both.vector()).isNotEmpty().allMatch(h -> h.documentId().equals(pair[1]));
            assertThat(both.keyword()).isNotEmpty().allMatch(h -> h.documentId().equals(pair[1]));
            assertThat(store.keyword(t, "chunk words", 10, Map.of()))
                    .isNotEmpty()
                    .allMatch(h -> h.documentId().equals(pair[1]));
        }
        try (var s = neo4j.session()) {
            assertThat(s.run("MATCH (x:" + Neo4jTenantVectors.label(Neo4jTenantVectors.Kind.CHUNK, a)
                                    + ") RETURN collect(DISTINCT x.tenant) AS t")
                            .single()
                            .get("t")
                            .asList(v -> v.asString()))
                    .containsExactly(a);
        }
    }

    @Test
    void onlyATenantLabelReachesADynamicLabel() {
        String label = Neo4jTenantVectors.labelParameter(Neo4jTenantVectors.Kind.CHUNK, "acme");
        assertThat(label)
                .isEqualTo("TenantChunk_" + Neo4jTenantVectors.hash("acme"))
                .hasSize(44);
        assertThat(Neo4jTenantVectors.labelParameter(Neo4jTenantVectors.Kind.ENTITY, "acme"))
                .isEqualTo("TenantEntity_" + Neo4jTenantVectors.hash("acme"));
        // a tenant with Cypher in it still gives a hash label
        assertThat(Neo4jTenantVectors.labelParameter(Neo4jTenantVectors.Kind.CHUNK, "x`) DETACH DELETE (n"))
                .matches("TenantChunk_[0-9a-f]{32}");
        String hex = "0123456789abcdef0123456789abcdef";
        assertThat(Neo4jTenantVectors.checkedLabel("TenantEntity_" + hex)).isEqualTo("TenantEntity_" + hex);
        for (String bad : new String[] {
            null,
            "",
            "Chunk",
            "Document",
            "SharedChunk",
            "TenantChunk_",
            "TenantChunk_" + hex.substring(1),
            "TenantChunk_" + hex + "0",
            "TenantChunk_" + hex.toUpperCase(java.util.Locale.ROOT),
            "TenantChunk_" + hex + "`) DETACH DELETE (n",
            "TenantChunk_" + hex + "\n",
            "TenantVector_" + hex
        }) {
            assertThatThrownBy(() -> Neo4jTenantVectors.checkedLabel(bad))
                    .as(String.valueOf(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a tenant label");
        }
    }

    /** Writes {@code n} chunks with random vectors for the tenant's document {@code doc}; returns the first vector. */
    private float[] seed(String tenant, String doc, int n) {
        return seed(tenant, doc, n, null);
    }

    /** Writes {@code n} chunks (all with {@code vector} when given, else random ones); returns the first vector. */
    private float[] seed(String tenant, String doc, int n, float[] vector) {
        List<DocumentChunk> chunks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            chunks.add(new DocumentChunk(i, "chunk words " + doc + " " + i, vector != null ? vector : unit()));
        }
        store.replace(new Document(tenant, doc, doc, "text/plain", Map.of(), n, n * 20L, Instant.now()), chunks);
        return chunks.get(0).embedding();
    }

    private double ownIndexSearches() {
        return registry
                .find("devloop.knowledge.vector.searches")
                .tag("kind", "chunk")
                .tag("path", "tenant-index")
                .counters()
                .stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
    }

    private static List<String> sorted(List<String> labels) {
        return labels.stream().sorted().toList();
    }

    private float[] unit() {
        float[] v = new float[DIMS];
        double n = 0;
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) random.nextGaussian();
            n += v[i] * v[i];
        }
        for (int i = 0; i < DIMS; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }

    private static List<Double> list(float[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (float f : v) {
            out.add((double) f);
        }
        return out;
    }
}
