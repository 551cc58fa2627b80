package dev.devloop.knowledge.adapters.out.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.knowledge.adapters.out.embeddings.LocalEmbeddings;
import dev.devloop.knowledge.application.DocumentLimits;
import dev.devloop.knowledge.application.DocumentService;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.domain.Document;
import dev.devloop.knowledge.domain.DocumentChunk;
import dev.devloop.knowledge.domain.IngestedDocument;
import dev.devloop.knowledge.domain.ScoredChunk;
import dev.devloop.knowledge.ports.in.IngestDocumentCommand;
import dev.devloop.knowledge.ports.out.DocumentStorePort.HybridCandidates;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Value;
import org.neo4j.driver.exceptions.ClientException;

/**
 * Stop 39: the document write is one auto-commit statement ({@link Neo4jGraph#writeOnce}) instead of a managed write
 * transaction. On the real Neo4j: it stores exactly what the managed transaction stored (nodes, labels, properties,
 * relationships) and searches find the same hits; it has committed when it returns (a new session reads it); a re-post
 * replaces the document's chunks; concurrent writes of one document leave exactly one version; tenants stay apart; a
 * statement error is thrown as it is, not retried into an outage; a document whose chunk fails to embed writes
 * nothing.
 */
@QuarkusTest
class DocumentWriteAutoCommitTest {
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

    @Inject
    DocumentLimits limits;

    private final Random random = new Random(39);
    private final List<String> tenants = new ArrayList<>();
    private Neo4jDocumentStore store;

    @BeforeEach
    void setUp() {
        Neo4jTenantVectors vectors = new Neo4jTenantVectors(
                graph,
                new Neo4jTenantVectors.Settings(
                        1000,
                        20000,
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
            }
        }
    }

    @Test
    void theAutoCommitWriteStoresWhatTheManagedTransactionStoredAndSearchesFindTheSame() {
        String managed = tenant("managed");
        String once = tenant("once");
        List<List<float[]>> vectors = new ArrayList<>();
        for (int d = 0; d < 3; d++) {
            vectors.add(List.of(unit(), unit(), unit()));
        }
        Instant at = Instant.parse("2026-12-07T22:00:00Z");
        for (int d = 0; d < 3; d++) {
            store.replaceAll(managed, List.of(document(managed, "doc-" + d, vectors.get(d), at)), false);
            store.replaceAll(once, List.of(document(once, "doc-" + d, vectors.get(d), at)), true);
        }
        assertThat(shape(once)).isEqualTo(shape(managed)).hasSize(3 + 9);
        float[] query = vectors.get(1).get(2);
        assertThat(keys(store.nearest(once, query, 5, Map.of())))
                .isEqualTo(keys(store.nearest(managed, query, 5, Map.of())))
                .startsWith("doc-1#2");
        assertThat(keys(store.keyword(once, "kafka partitions 2", 5, Map.of())))
                .isNotEmpty()
                .isEqualTo(keys(store.keyword(managed, "kafka partitions 2", 5, Map.of())));
        HybridCandidates a = store.hybrid(once, query, "ordering", 5, Map.of("team", "core"));
        HybridCandidates b = store.hybrid(managed, query, "ordering", 5, Map.of("team", "core"));
        assertThat(keys(a.vector())).isNotEmpty().isEqualTo(keys(b.vector()));
        assertThat(keys(a.keyword())).isNotEmpty().isEqualTo(keys(b.keyword()));
    }

    @Test
    void aWriteHasCommittedWhenItReturnsAndARepostReplacesTheChunks() {
        String t = tenant("repost");
        store.replaceAll(t, List.of(document(t, "doc", List.of(unit(), unit(), unit()), Instant.now())), true);
        assertThat(chunkCounts(t)).containsExactly(Map.entry("doc", List.of(3L, 3L)));
        store.replaceAll(t, List.of(document(t, "doc", List.of(unit(), unit()), Instant.now())), true);
        // read in a session of its own: the write's transaction has committed, full-text entries included
        assertThat(chunkCounts(t)).containsExactly(Map.entry("doc", List.of(2L, 2L)));
        assertThat(store.keyword(t, "kafka", 10, Map.of()))
                .extracting(ScoredChunk::chunkIndex)
                .containsExactlyInAnyOrder(0, 1);
    }

    /**
     * Concurrent writes of one document, with either write: the last to commit wins whole (its chunks only, the
     * document's chunkCount theirs). Before stop 39 the statement matched the old chunks before it locked the document,
     * so two racing writes each kept their own chunks (found by this test with the managed write as well).
     */
    @Test
    void concurrentWritesOfOneDocumentLeaveExactlyOneVersion() throws Exception {
        for (boolean autoCommit : new boolean[] {false, true}) {
            String t = tenant("race-" + autoCommit);
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<CompletableFuture<Void>> writes = new ArrayList<>();
                for (int w = 0; w < 24; w++) {
                    int chunks = 1 + w % 4;
                    List<float[]> v = new ArrayList<>();
                    for (int i = 0; i < chunks; i++) {
                        v.add(unit());
                    }
                    IngestedDocument doc = document(t, "doc", v, Instant.now());
                    writes.add(CompletableFuture.runAsync(() -> store.replaceAll(t, List.of(doc), autoCommit), pool));
                }
                CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                        .get(60, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            Map<String, List<Long>> counts = chunkCounts(t);
            assertThat(counts).as("auto-commit %s", autoCommit).containsOnlyKeys("doc");
            // the document's chunkCount is the number of chunks it has: one write's version, not a mix
            assertThat(counts.get("doc").get(1))
                    .as("auto-commit %s", autoCommit)
                    .isEqualTo(counts.get("doc").get(0))
                    .isBetween(1L, 4L);
        }
    }

    @Test
    void tenantsStayApart() {
        String a = tenant("iso-a");
        String b = tenant("iso-b");
        store.replaceAll(a, List.of(document(a, "doc", List.of(unit(), unit()), Instant.now())), true);
        store.replaceAll(b, List.of(document(b, "doc", List.of(unit(), unit(), unit()), Instant.now())), true);
        assertThat(chunkCounts(a)).containsExactly(Map.entry("doc", List.of(2L, 2L)));
        assertThat(chunkCounts(b)).containsExactly(Map.entry("doc", List.of(3L, 3L)));
    }

    /**
     * A document whose second chunk fails to embed (the in-process model, its hash read overlapping) fails as a whole
     * and writes nothing; the same document then ingests whole.
     */
    @Test
    void aChunkWhoseEmbeddingFailsFailsTheDocumentAndWritesNothing() {
        String t = tenant("fail");
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < 12; p++) {
            text.append("Kafka partitions keep per-key ordering while consumers in a group share them ")
                    .append(p)
                    .append(". ");
        }
        IngestDocumentCommand command =
                new IngestDocumentCommand(t, "doc", "Doc", text.toString(), "text/plain", Map.of("team", "core"));
        try (LocalEmbeddings model =
                new LocalEmbeddings(32, 2, 1, config.embeddings().localModel())) {
            EmbeddingPort secondChunkFails = new EmbeddingPort() {
                @Override
                public List<float[]> embed(String tenant, List<String> texts) {
                    return model.embed(tenant, broken(texts));
                }

                @Override
                public boolean stopsEarly() {
                    return true;
                }

                @Override
                public List<float[]> embed(String tenant, List<String> texts, CompletionStage<?> abandon) {
                    return model.embed(tenant, broken(texts), abandon);
                }

                private List<String> broken(List<String> texts) {
                    assertThat(texts).hasSizeGreaterThanOrEqualTo(2);
                    List<String> out = new ArrayList<>(texts);
                    out.set(1, null);
                    return out;
                }

                @Override
                public int dimensions() {
                    return model.dimensions();
                }

                @Override
                public String model() {
                    return model.model();
                }
            };
            DocumentService failing = new DocumentService(store, secondChunkFails, limits, Clock.systemUTC());
            assertThatThrownBy(() -> failing.ingest(command)).isInstanceOf(RuntimeException.class);
            assertThat(store.find(t, "doc")).isEmpty();
            assertThat(chunkCounts(t)).isEmpty();
            Document written = new DocumentService(store, model, limits, Clock.systemUTC()).ingest(command);
            assertThat(written.chunkCount()).isGreaterThanOrEqualTo(2);
            assertThat(chunkCounts(t)).containsExactly(Map.entry("doc", List.of((long) written.chunkCount(), (long)
                    written.chunkCount())));
        }
    }

    @Test
    void aStatementErrorIsThrownAsItIsNotAsAnOutage() {
        assertThatThrownBy(() -> graph.writeOnce("UNWIND [1, 0] AS x RETURN 1 / x AS y", Map.of(), r -> r))
                .isInstanceOf(ClientException.class)
                .isNotInstanceOf(TierUnavailableException.class);
        assertThat(graph.writeOnce(
                        "RETURN $x AS x", Map.of("x", 39), r -> r.get("x").asInt()))
                .containsExactly(39);
    }

    /** Every node of the tenant with its labels (the tenant label shown as its kind) and properties, tenant dropped. */
    private List<String> shape(String tenant) {
        try (var s = neo4j.session()) {
            return s
                    .run(
                            "MATCH (n) WHERE n.tenant = $t OPTIONAL MATCH (n)-[r:HAS_CHUNK]->(c) "
                                    + "RETURN labels(n) AS labels, properties(n) AS props, count(c) AS chunks",
                            Map.of("t", tenant))
                    .list(r -> {
                        List<String> labels = new ArrayList<>(r.get("labels").asList(Value::asString));
                        labels.replaceAll(l -> l.startsWith("TenantChunk_") ? "TenantChunk_" : l);
                        labels.sort(null);
                        Map<String, Object> props = new TreeMap<>(r.get("props").asMap());
                        props.remove("tenant");
                        props.remove("tenantToken");
                        return labels + " " + props + " chunks="
                                + r.get("chunks").asLong();
                    })
                    .stream()
                    .sorted()
                    .toList();
        }
    }

    /** Per document id: its chunkCount property and the number of chunks it has. */
    private Map<String, List<Long>> chunkCounts(String tenant) {
        Map<String, List<Long>> out = new HashMap<>();
        try (var s = neo4j.session()) {
            s.run(
                            "MATCH (d:Document {tenant: $t}) OPTIONAL MATCH (d)-[:HAS_CHUNK]->(c:Chunk {tenant: $t}) "
                                    + "RETURN d.id AS id, d.chunkCount AS n, count(c) AS chunks",
                            Map.of("t", tenant))
                    .list()
                    .forEach(r -> out.put(
                            r.get("id").asString(),
                            List.of(r.get("n").asLong(), r.get("chunks").asLong())));
            long orphans = s.run(
                            "MATCH (c:Chunk {tenant: $t}) WHERE NOT ()-[:HAS_CHUNK]->(c) RETURN count(c) AS n",
                            Map.of("t", tenant))
                    .single()
                    .get("n")
                    .asLong();
            assertThat(orphans).as("chunks without their document").isZero();
        }
        return out;
    }

    private static List<String> keys(List<ScoredChunk> hits) {
        return hits.stream().map(ScoredChunk::key).toList();
    }

    private IngestedDocument document(String tenant, String id, List<float[]> vectors, Instant at) {
        List<DocumentChunk> chunks = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            chunks.add(
                    new DocumentChunk(i, "Kafka partitions " + i + " keep per-key ordering in " + id, vectors.get(i)));
        }
        Document document =
                new Document(tenant, id, "Title " + id, "text/plain", Map.of("team", "core"), chunks.size(), 99, at);
        return new IngestedDocument(document, chunks, "hash-" + id + "-" + vectors.size());
    }

    private String tenant(String name) {
        String t = name + "-" + UUID.randomUUID();
        tenants.add(t);
        return t;
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
}
