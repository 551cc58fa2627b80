package dev.devloop.knowledge.adapters.in.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.knowledge.adapters.out.embeddings.LocalEmbeddings;
import dev.devloop.knowledge.adapters.out.neo4j.Neo4jDocumentStore;
import dev.devloop.knowledge.adapters.out.neo4j.Neo4jEntityGraph;
import dev.devloop.knowledge.adapters.out.neo4j.Neo4jGraph;
import dev.devloop.knowledge.adapters.out.neo4j.Neo4jTenantVectors;
import dev.devloop.knowledge.adapters.out.providergateway.GatewayEmbeddings;
import dev.devloop.knowledge.adapters.out.providergateway.GuardedGateway;
import dev.devloop.knowledge.application.ReadCache;
import dev.devloop.knowledge.application.ReembedService;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.domain.Document;
import dev.devloop.knowledge.domain.DocumentChunk;
import dev.devloop.knowledge.domain.ScoredChunk;
import dev.devloop.knowledge.domain.ScoredEntity;
import dev.devloop.knowledge.ports.in.ReembedVectorsUseCase;
import dev.devloop.knowledge.ports.out.DocumentStorePort;
import dev.devloop.knowledge.ports.out.EmbeddingModels;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

/**
 * The re-embed job on the real Neo4j and the real in-process models: a tenant's store holds fp32-tagged and untagged
 * chunks (vectors written before model ids) and an fp32 entity; a service running the int8 model finds none of them by
 * vector (its keyword search still does) until the job has converted them, a bounded batch per run, while the gauge of
 * vectors left goes down. The job is scoped to this test's tenant (the database is shared with the other tests).
 */
@QuarkusTest
class VectorReembedJobTest {
    @Inject
    Neo4jGraph graph;

    @Inject
    ObjectMapper json;

    @Inject
    KnowledgeConfig config;

    @Inject
    Driver neo4j;

    @Inject
    GuardedGateway gateway;

    private static LocalEmbeddings fp32;
    private static LocalEmbeddings int8;

    private String tenant;
    private Neo4jDocumentStore fp32Store;
    private Neo4jDocumentStore int8Store;
    private Neo4jEntityGraph int8Entities;
    private SimpleMeterRegistry registry;

    @BeforeAll
    static void models() {
        fp32 = new LocalEmbeddings(32, 2, 1, LocalEmbeddings.FP32);
        int8 = new LocalEmbeddings(32, 2, 1, LocalEmbeddings.INT8);
    }

    @AfterAll
    static void closeModels() {
        fp32.close();
        int8.close();
    }

    @BeforeEach
    void setUp() {
        tenant = "reembed-" + UUID.randomUUID();
        registry = new SimpleMeterRegistry();
        fp32Store = store(EmbeddingModels.FP32);
        int8Store = store(EmbeddingModels.INT8);
        int8Entities = new Neo4jEntityGraph(graph, json, config, space(EmbeddingModels.INT8));
    }

    @AfterEach
    void cleanUp() {
        try (var s = neo4j.session()) {
            s.run("MATCH (n) WHERE n.tenant = $t DETACH DELETE n", Map.of("t", tenant))
                    .consume();
        }
    }

    private Neo4jTenantVectors space(String model) {
        return new Neo4jTenantVectors(
                graph, new Neo4jTenantVectors.Settings(1000, 1000, Duration.ofSeconds(60), 384, model), registry);
    }

    private Neo4jDocumentStore store(String model) {
        return new Neo4jDocumentStore(graph, json, config, space(model));
    }

    private void write(Neo4jDocumentStore store, EmbeddingPort embedder, String id, String... texts) {
        List<float[]> vectors = embedder.embed(tenant, List.of(texts));
        List<DocumentChunk> chunks = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            chunks.add(new DocumentChunk(i, texts[i], vectors.get(i)));
        }
        store.replace(new Document(tenant, id, id, "text/plain", Map.of(), texts.length, 100, Instant.now()), chunks);
    }

    private void fp32Corpus() {
        write(
                fp32Store,
                fp32,
                "kafka",
                "Kafka keeps records in partitions ordered by key",
                "Consumer groups share a topic");
        write(fp32Store, fp32, "redis", "Redis holds short-lived keys in memory", "Expiry removes a key after its TTL");
        write(fp32Store, fp32, "neo4j", "Neo4j stores the entity graph", "Cypher queries walk relationships");
        // the neo4j document as stored before model ids: its vectors carry none
        try (var s = neo4j.session()) {
            s.run("MATCH (c:Chunk {tenant: $t, documentId: 'neo4j'}) REMOVE c.embeddingModel", Map.of("t", tenant))
                    .consume();
        }
        Neo4jEntityGraph fp32Entities = new Neo4jEntityGraph(graph, json, config, space(EmbeddingModels.FP32));
        String properties = "{\"engine\":\"kafka\"}";
        fp32Entities.upsert(tenant, "orders-topic", "topic", properties, Instant.now());
        fp32Entities.embed(
                tenant,
                "orders-topic",
                "topic",
                properties,
                fp32.embed(tenant, List.of("topic orders-topic kafka")).get(0));
    }

    private long taggedInt8() {
        try (var s = neo4j.session()) {
            return s.run(
                            "MATCH (c:Chunk {tenant: $t}) WHERE c.embeddingModel = $m RETURN count(c) AS n",
                            Map.of("t", tenant, "m", EmbeddingModels.INT8))
                    .single()
                    .get("n")
                    .asLong();
        }
    }

    private double gauge(String kind, String model) {
        Gauge g = registry.find("devloop.knowledge.vectors.stale")
                .tag("kind", kind)
                .tag("model", model)
                .gauge();
        return g == null ? -1 : g.value();
    }

    private ReembedService service(EmbeddingPort embedder, Neo4jDocumentStore store, Neo4jEntityGraph entities) {
        return new ReembedService(store, entities, embedder, 32, ReadCache.disabled(), List.of(tenant));
    }

    @Test
    void anInt8ServiceSearchesOnlyInt8VectorsAndTheJobConvertsABoundedBatchPerRun() {
        fp32Corpus();
        float[] question = int8.embed(tenant, List.of("which partitions keep kafka records"))
                .get(0);
        assertThat(int8Store.nearest(tenant, question, 10, Map.of()))
                .as("before the job: no vector of the running model")
                .isEmpty();
        assertThat(int8Store.keyword(tenant, "partitions", 10, Map.of()))
                .as("the keyword side still finds the chunks meanwhile")
                .extracting(ScoredChunk::documentId)
                .containsExactly("kafka");
        assertThat(int8Entities.nearest(tenant, question, null, null, 5, List.of()))
                .isEmpty();

        ReembedService service = service(int8, int8Store, int8Entities);
        assertThat(service.staleCounts())
                .isEqualTo(Map.of(
                        "chunk", Map.of(EmbeddingModels.FP32, 4L, "none", 2L),
                        "entity", Map.of(EmbeddingModels.FP32, 1L)));
        VectorReembedJob job = new VectorReembedJob(service, registry, true, 2);

        ReembedVectorsUseCase.Run first = job.runOnce().orElseThrow();

        assertThat(first.chunks()).isEqualTo(2);
        assertThat(first.entities()).isZero();
        assertThat(job.converged())
                .as("vectors of fp32 left: the schedule keeps running")
                .isFalse();
        assertThat(taggedInt8()).isEqualTo(2);
        assertThat(gauge("chunk", EmbeddingModels.FP32) + gauge("chunk", "none"))
                .isEqualTo(4);
        assertThat(int8Store.nearest(tenant, question, 10, Map.of()))
                .as("exactly the converted chunks")
                .hasSize(2);

        List<ReembedVectorsUseCase.Run> runs = new ArrayList<>();
        for (int i = 0; i < 5 && gauge("entity", EmbeddingModels.FP32) != 0; i++) {
            runs.add(job.runOnce().orElseThrow());
        }

        assertThat(runs)
                .as("two more runs of two chunks, then the entity")
                .extracting(r -> r.chunks() + r.entities())
                .containsExactly(2, 2, 1);
        assertThat(gauge("chunk", EmbeddingModels.FP32)).isZero();
        assertThat(gauge("chunk", "none")).isZero();
        assertThat(gauge("entity", EmbeddingModels.FP32)).isZero();
        assertThat(job.converged())
                .as("nothing left: the schedule stops scanning")
                .isTrue();
        assertThat(taggedInt8()).isEqualTo(6);
        List<ScoredChunk> hits = int8Store.nearest(tenant, question, 10, Map.of());
        assertThat(hits).hasSize(6);
        assertThat(hits.get(0).documentId()).isEqualTo("kafka");
        assertThat(int8Entities.nearest(tenant, question, null, null, 5, List.of()))
                .extracting(ScoredEntity::entity)
                .extracting(e -> e.id())
                .containsExactly("orders-topic");
        assertThat(job.runOnce().orElseThrow().chunks()).as("nothing left").isZero();
    }

    @Test
    void aChunkDeletedOrChangedBeforeItsVectorIsStoredIsSkippedAndARepeatIsHarmless() {
        write(fp32Store, fp32, "gone", "A document deleted while its chunks are re-embedded");
        write(fp32Store, fp32, "changed", "The text the job read");
        write(fp32Store, fp32, "kept", "A chunk re-embedded twice");
        List<DocumentStorePort.StaleChunk> stale = int8Store.staleChunks(List.of(tenant), 10);
        assertThat(stale)
                .extracting(DocumentStorePort.StaleChunk::documentId)
                .containsExactly("changed", "gone", "kept");
        List<float[]> vectors = int8.embed(
                tenant, stale.stream().map(DocumentStorePort.StaleChunk::text).toList());

        fp32Store.delete(tenant, "gone");
        write(fp32Store, fp32, "changed", "The text written after the job read it");

        assertThat(int8Store.reembedded(stale, vectors))
                .as("only the kept chunk")
                .isEqualTo(1);
        assertThat(int8Store.reembedded(stale.subList(2, 3), vectors.subList(2, 3)))
                .as("already of the running model: skipped")
                .isZero();
        assertThat(taggedInt8()).isEqualTo(1);
        try (var s = neo4j.session()) {
            assertThat(s.run(
                                    "MATCH (c:Chunk {tenant: $t, documentId: 'gone'}) RETURN count(c) AS n",
                                    Map.of("t", tenant))
                            .single()
                            .get("n")
                            .asLong())
                    .as("the deleted chunk is not written back")
                    .isZero();
            assertThat(s.run(
                                    "MATCH (c:Chunk {tenant: $t, documentId: 'changed'}) RETURN c.embeddingModel AS m",
                                    Map.of("t", tenant))
                            .single()
                            .get("m")
                            .asString())
                    .as("the changed chunk keeps the vector of its new text")
                    .isEqualTo(EmbeddingModels.FP32);
        }
    }

    @Test
    void aRunStopsWhenTheServiceStopsAndIsSkippedWhileTheEmbedderIsDown() {
        fp32Corpus();
        ReembedService service = service(int8, int8Store, int8Entities);

        ReembedVectorsUseCase.Run stopped = service.reembed(10, () -> true);

        assertThat(stopped.stopped()).isTrue();
        assertThat(stopped.chunks() + stopped.entities()).isZero();
        assertThat(taggedInt8()).isZero();

        // provider-gateway unreachable (the test profile points it at a closed port): the run is skipped
        GatewayEmbeddings down = new GatewayEmbeddings(gateway, "text-embedding-3-small", 384, 32);
        Neo4jTenantVectors downSpace = space(down.model());
        VectorReembedJob skipped = new VectorReembedJob(
                service(
                        down,
                        new Neo4jDocumentStore(graph, json, config, downSpace),
                        new Neo4jEntityGraph(graph, json, config, downSpace)),
                registry,
                true,
                10);

        Optional<ReembedVectorsUseCase.Run> run = skipped.runOnce();

        assertThat(down.model()).isEqualTo("gateway:text-embedding-3-small");
        assertThat(run).isEmpty();
        try (var s = neo4j.session()) {
            assertThat(s.run(
                                    "MATCH (c:Chunk {tenant: $t}) WHERE c.embeddingModel = $m RETURN count(c) AS n",
                                    Map.of("t", tenant, "m", down.model()))
                            .single()
                            .get("n")
                            .asLong())
                    .isZero();
        }
    }
}
