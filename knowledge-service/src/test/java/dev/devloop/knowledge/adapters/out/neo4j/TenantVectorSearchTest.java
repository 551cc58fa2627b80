package dev.devloop.knowledge.adapters.out.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.domain.Document;
import dev.devloop.knowledge.domain.DocumentChunk;
import dev.devloop.knowledge.domain.PropertyFilter;
import dev.devloop.knowledge.domain.ScoredChunk;
import dev.devloop.knowledge.domain.ScoredEntity;
import dev.devloop.knowledge.ports.out.DocumentStorePort;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

/**
 * Per-tenant vector search on the real Neo4j: tenant B holds many vectors nearly identical to the query, which
 * fill the shared index's candidates; every other tenant's search must still return its own true nearest vectors.
 * The stores are built here with a low threshold (100 vectors) so a few hundred vectors exercise each route:
 * exact scan (small tenant), the tenant's own index, and the shared index once the index cap is reached. The crowding
 * tenant is written once for the class (1200 chunks and its own index; three tests crowd the same query with it).
 */
@QuarkusTest
class TenantVectorSearchTest {
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

    /** Every test's query: the first draw of {@code Random(11)}, so the shared crowd fits each test's query. */
    private static final float[] QUERY = unit(new Random(11));

    private static String crowdTenant;
    private static Driver crowdDriver;

    private final Random random = new Random(11);
    private final List<String> tenants = new ArrayList<>();
    private float[] query;
    private Neo4jTenantVectors vectors;
    private Neo4jDocumentStore store;

    @BeforeEach
    void setUp() {
        query = unit(random);
        assertThat(query).containsExactly(QUERY);
        vectors = vectors(100, 1000);
        store = new Neo4jDocumentStore(graph, json, config, vectors);
    }

    private Neo4jTenantVectors vectors(int exactBelow, int cap) {
        return vectors(exactBelow, cap, config.embeddings().localModel());
    }

    /** A store's view running {@code model}: what it writes its vectors with and the only vectors it compares. */
    private Neo4jTenantVectors vectors(int exactBelow, int cap, String model) {
        Neo4jTenantVectors v = new Neo4jTenantVectors(
                graph, new Neo4jTenantVectors.Settings(exactBelow, cap, Duration.ofSeconds(60), DIMS, model), registry);
        v.labelled();
        return v;
    }

    @AfterEach
    void cleanUp() {
        drop(neo4j, tenants);
    }

    @AfterAll
    static void dropTheCrowd() {
        if (crowdTenant != null) {
            drop(crowdDriver, List.of(crowdTenant));
            crowdTenant = null;
        }
    }

    private static void drop(Driver driver, List<String> dropped) {
        try (var s = driver.session()) {
            for (String t : dropped) {
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

    /**
     * Tenant B, written by the first test that needs it: 1200 chunks all within cosine ≈ 0.999 of the query, over the
     * threshold (its own index). No test changes it.
     */
    private String crowd() {
        if (crowdTenant == null) {
            Random noise = new Random(12);
            List<float[]> near = new ArrayList<>();
            for (int i = 0; i < 1200; i++) {
                near.add(towards(QUERY, 0.05, noise));
            }
            String t = "crowd-" + UUID.randomUUID();
            seed(store, t, "crowd", near);
            crowdDriver = neo4j;
            crowdTenant = t;
        }
        return crowdTenant;
    }

    private void seed(Neo4jDocumentStore s, String tenant, String doc, List<float[]> embeddings) {
        List<DocumentChunk> chunks = new ArrayList<>();
        for (int i = 0; i < embeddings.size(); i++) {
            chunks.add(new DocumentChunk(i, doc + " chunk " + i, embeddings.get(i)));
        }
        s.replace(
                new Document(
                        tenant, doc, doc, "text/plain", Map.of(), chunks.size(), chunks.size() * 10L, Instant.now()),
                chunks);
    }

    /** The tenant's vectors: {@code n} random ones, then two clearly nearest to the query (≈ 0.89, ≈ 0.71). */
    private List<float[]> own(int n) {
        List<float[]> v = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            v.add(unit(random));
        }
        v.add(towards(query, 0.5));
        v.add(towards(query, 1.0));
        return v;
    }

    /** Indices of the k vectors with the highest cosine to the query, computed exactly. */
    private List<Integer> bruteForce(List<float[]> v, int k) {
        return IntStream.range(0, v.size())
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -dot(v.get(i), query)))
                .limit(k)
                .toList();
    }

    private double searches(String kind, String path) {
        return registry
                .find("devloop.knowledge.vector.searches")
                .tag("kind", kind)
                .tag("path", path)
                .counters()
                .stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    /** The tenant's vectors of {@code kind} that carry the shared index's label. */
    private long shared(Neo4jTenantVectors.Kind kind, String tenant) {
        return count("MATCH (x:" + Neo4jTenantVectors.label(kind, tenant) + ":" + kind.sharedLabel
                + ") RETURN count(x) AS n");
    }

    /** Whether the tenant is marked as routed to the shared index for {@code kind}. */
    private boolean routedShared(Neo4jTenantVectors.Kind kind, String tenant) {
        return count(
                        "MATCH (m:" + Neo4jTenantVectors.SHARED_ROUTE + " {tenant: $t, kind: $k}) RETURN count(m) AS n",
                        Map.of("t", tenant, "k", kind.name().toLowerCase(java.util.Locale.ROOT)))
                > 0;
    }

    private long count(String cypher) {
        return count(cypher, Map.of());
    }

    private long count(String cypher, Map<String, Object> parameters) {
        try (var s = neo4j.session()) {
            return s.run(cypher, parameters).single().get(0).asLong();
        }
    }

    private String indexState(String name) {
        try (var s = neo4j.session()) {
            var rows = s.run(
                            "SHOW VECTOR INDEXES YIELD name, state, labelsOrTypes WHERE name = $n RETURN state",
                            Map.of("n", name))
                    .list();
            return rows.isEmpty() ? null : rows.get(0).get("state").asString();
        }
    }

    @Test
    void aLargeTenantSearchesItsOwnIndexAndIsNotCrowdedOutByAnotherTenantsNearIdenticalVectors() {
        String b = crowd();
        String a = tenant("own");
        List<float[]> mine = own(150);
        seed(store, a, "mine", mine);
        String index = Neo4jTenantVectors.indexName(Neo4jTenantVectors.Kind.CHUNK, a);
        assertThat(indexState(index))
                .as("created by the write that crossed the threshold, waited for")
                .isEqualTo("ONLINE");
        try (var s = neo4j.session()) {
            assertThat(s.run("MATCH (c:" + Neo4jTenantVectors.label(Neo4jTenantVectors.Kind.CHUNK, a)
                                    + ") RETURN count(c) AS n")
                            .single()
                            .get("n")
                            .asLong())
                    .isEqualTo(152);
        }
        assertThat(shared(Neo4jTenantVectors.Kind.CHUNK, a))
                .as("a tenant with its own index keeps its chunks out of the shared index")
                .isZero();
        assertThat(shared(Neo4jTenantVectors.Kind.CHUNK, b)).isZero();

        double viaOwnIndex = searches("chunk", "tenant-index");
        List<ScoredChunk> hits = store.nearest(a, query, 10, Map.of());
        assertThat(searches("chunk", "tenant-index")).isEqualTo(viaOwnIndex + 1);
        assertThat(hits).hasSize(10).allMatch(h -> h.documentId().equals("mine"));
        List<Integer> exact = bruteForce(mine, 10);
        assertThat(hits.get(0).chunkIndex()).isEqualTo(exact.get(0)).isEqualTo(150);
        assertThat(hits.get(1).chunkIndex()).isEqualTo(exact.get(1)).isEqualTo(151);
        long found = hits.stream().filter(h -> exact.contains(h.chunkIndex())).count();
        assertThat(found).as("recall@10 of the tenant's own index").isGreaterThanOrEqualTo(8);
        assertThat(hits).extracting(ScoredChunk::score).isSortedAccordingTo(Comparator.reverseOrder());

        // and the crowding tenant still finds its own vectors (through its own index too)
        assertThat(store.nearest(b, query, 10, Map.of())).hasSize(10).allMatch(h -> h.documentId()
                .equals("crowd"));

        // deleting the tenant's last chunks drops its index (its slot under the cap is free again)
        assertThat(store.delete(a, "mine")).isTrue();
        assertThat(indexState(index)).isNull();
        assertThat(store.nearest(a, query, 10, Map.of())).isEmpty();
    }

    @Test
    void aSmallTenantIsScannedExactlyAndGetsItsTrueNearestVectors() {
        crowd();
        String c = tenant("small");
        List<float[]> mine = own(30);
        seed(store, c, "mine", mine);
        assertThat(indexState(Neo4jTenantVectors.indexName(Neo4jTenantVectors.Kind.CHUNK, c)))
                .isNull();
        assertThat(shared(Neo4jTenantVectors.Kind.CHUNK, c))
                .as("a small tenant's write pays no shared index insert")
                .isZero();
        assertThat(routedShared(Neo4jTenantVectors.Kind.CHUNK, c)).isFalse();

        double exactBefore = searches("chunk", "exact");
        List<ScoredChunk> hits = store.nearest(c, query, 10, Map.of());
        assertThat(searches("chunk", "exact")).isEqualTo(exactBefore + 1);
        assertThat(hits).extracting(ScoredChunk::chunkIndex).containsExactlyElementsOf(bruteForce(mine, 10));
    }

    @Test
    void aSmallTenantsSearchWhoseFiltersMatchNothingIsEmptyFromTheExactScan() {
        String c = tenant("small-filtered");
        List<float[]> mine = own(20);
        seed(store, c, "mine", mine);

        double exactBefore = searches("chunk", "exact");
        assertThat(store.nearest(c, query, 5, Map.of("team", "nobody"))).isEmpty();
        assertThat(searches("chunk", "exact")).isEqualTo(exactBefore + 1);
        assertThat(store.nearest(tenant("empty"), query, 5, Map.of())).isEmpty();
    }

    @Test
    void aReplicaThatNeverSawALargeTenantStillRoutesItToItsOwnIndex() {
        String d = tenant("grown-elsewhere");
        List<float[]> mine = own(150);
        seed(store, d, "mine", mine);
        assertThat(indexState(Neo4jTenantVectors.indexName(Neo4jTenantVectors.Kind.CHUNK, d)))
                .isEqualTo("ONLINE");
        Neo4jDocumentStore otherReplica = new Neo4jDocumentStore(graph, json, config, vectors(100, 1000));

        double ownIndexBefore = searches("chunk", "tenant-index");
        List<ScoredChunk> hits = otherReplica.nearest(d, query, 2, Map.of());
        assertThat(searches("chunk", "tenant-index")).isEqualTo(ownIndexBefore + 1);
        assertThat(hits).extracting(ScoredChunk::chunkIndex).containsExactlyElementsOf(bruteForce(mine, 2));

        // a hybrid search there: the one statement finds the tenant large, keeps its keyword hits and routes the
        // vector side to the tenant's own index; from then on this replica does not try the one statement for it
        Neo4jDocumentStore third = new Neo4jDocumentStore(graph, json, config, vectors(100, 1000));
        assertThat(third.hybridInOne(d)).isTrue();
        double ownIndexThen = searches("chunk", "tenant-index");
        DocumentStorePort.HybridCandidates both = third.hybrid(d, query, "chunk 151", 2, Map.of());
        assertThat(searches("chunk", "tenant-index")).isEqualTo(ownIndexThen + 1);
        assertThat(both.vector()).extracting(ScoredChunk::chunkIndex).containsExactlyElementsOf(bruteForce(mine, 2));
        assertThat(both.keyword()).isEqualTo(third.keyword(d, "chunk 151", 2, Map.of()));
        assertThat(both.keyword()).extracting(ScoredChunk::chunkIndex).contains(151);
        assertThat(third.hybridInOne(d)).isFalse();
    }

    @Test
    void beyondTheIndexCapALargeTenantIsRoutedToTheSharedIndexAndStillGetsItsNearestVectors() {
        Neo4jTenantVectors capped = vectors(100, 0);
        Neo4jDocumentStore cappedStore = new Neo4jDocumentStore(graph, json, config, capped);
        String d = tenant("capped");
        List<float[]> mine = own(150);
        seed(cappedStore, d, "mine", mine);
        assertThat(indexState(Neo4jTenantVectors.indexName(Neo4jTenantVectors.Kind.CHUNK, d)))
                .as("cap 0")
                .isNull();
        assertThat(routedShared(Neo4jTenantVectors.Kind.CHUNK, d)).isTrue();
        assertThat(shared(Neo4jTenantVectors.Kind.CHUNK, d))
                .as("the write that found the cap reached labelled all of the tenant's chunks")
                .isEqualTo(152);
        assertThat(count(
                        "CALL db.index.vector.queryNodes('" + Neo4jGraph.CHUNK_VECTOR_INDEX + "', 10, $q) YIELD node "
                                + "WHERE node.tenant = $d RETURN count(node) AS n",
                        Map.of("q", list(query), "d", d)))
                .as("and the shared index holds them")
                .isPositive();

        double viaShared = searches("chunk", "shared") + searches("chunk", "shared+exact");
        List<ScoredChunk> hits = cappedStore.nearest(d, query, 10, Map.of());
        assertThat(searches("chunk", "shared") + searches("chunk", "shared+exact"))
                .isEqualTo(viaShared + 1);
        List<Integer> exact = bruteForce(mine, 10);
        assertThat(hits).hasSize(10).allMatch(h -> h.documentId().equals("mine"));
        assertThat(hits.get(0).chunkIndex()).isEqualTo(exact.get(0)).isEqualTo(150);
        assertThat(hits.get(1).chunkIndex()).isEqualTo(exact.get(1)).isEqualTo(151);
        assertThat(hits.stream().filter(h -> exact.contains(h.chunkIndex())).count())
                .as("recall@10 through the shared index")
                .isGreaterThanOrEqualTo(8);

        // later writes read the marker in their own transaction and label their chunks themselves
        seed(cappedStore, d, "later", List.of(unit(random), unit(random)));
        assertThat(shared(Neo4jTenantVectors.Kind.CHUNK, d)).isEqualTo(154);

        // a freed slot (here: a higher cap) gives the tenant its own index; the marker goes, the labels stay
        seed(store, d, "later", List.of(unit(random), unit(random), unit(random)));
        assertThat(indexState(Neo4jTenantVectors.indexName(Neo4jTenantVectors.Kind.CHUNK, d)))
                .isEqualTo("ONLINE");
        assertThat(routedShared(Neo4jTenantVectors.Kind.CHUNK, d)).isFalse();
        seed(store, d, "after", List.of(unit(random)));
        assertThat(shared(Neo4jTenantVectors.Kind.CHUNK, d))
                .as("the chunks written while it was routed there keep the label (152 + 3), later ones get none")
                .isEqualTo(155);
        double ownIndex = searches("chunk", "tenant-index");
        assertThat(store.nearest(d, query, 2, Map.of()))
                .extracting(ScoredChunk::chunkIndex)
                .containsExactly(150, 151);
        assertThat(searches("chunk", "tenant-index")).isEqualTo(ownIndex + 1);
    }

    /**
     * Every vector route compares only the running model's vectors, although the other model's are nearer to the query
     * and outnumber them: the exact scan and the one-statement hybrid (whose keyword side still finds the other model's
     * chunks), the tenant's own index (150 other-model vectors fill its first 50 candidates; the running model's are
     * still its exact top 5), the shared index past the cap, and entity similarity (an entity of the other model has no usable
     * vector for this one).
     */
    @Test
    void everyVectorRouteComparesOnlyTheRunningModelsVectors() {
        String otherModel = "other-model-" + UUID.randomUUID();
        Neo4jDocumentStore other = new Neo4jDocumentStore(graph, json, config, vectors(100, 1000, otherModel));
        List<float[]> near = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            near.add(towards(query, 0.05));
        }

        String small = tenant("models-small");
        List<float[]> mine = own(3);
        seed(store, small, "mine", mine);
        seed(other, small, "theirs", near.subList(0, 5));
        assertThat(store.nearest(small, query, 10, Map.of()))
                .extracting(ScoredChunk::documentId)
                .hasSize(5)
                .containsOnly("mine");
        assertThat(store.hybridInOne(small)).isTrue();
        DocumentStorePort.HybridCandidates both = store.hybrid(small, query, "theirs", 10, Map.of());
        assertThat(both.vector()).extracting(ScoredChunk::documentId).hasSize(5).containsOnly("mine");
        assertThat(both.keyword())
                .as("the full-text side still finds the other model's chunks")
                .extracting(ScoredChunk::documentId)
                .contains("theirs");

        String large = tenant("models-own-index");
        seed(other, large, "theirs", near);
        List<float[]> few = own(8);
        seed(store, large, "mine", few);
        assertThat(indexState(Neo4jTenantVectors.indexName(Neo4jTenantVectors.Kind.CHUNK, large)))
                .isEqualTo("ONLINE");
        double ownIndex = searches("chunk", "tenant-index") + searches("chunk", "tenant-index+exact");
        assertThat(store.nearest(large, query, 5, Map.of()))
                .allMatch(h -> h.documentId().equals("mine"))
                .extracting(ScoredChunk::chunkIndex)
                .containsExactlyElementsOf(bruteForce(few, 5));
        assertThat(searches("chunk", "tenant-index") + searches("chunk", "tenant-index+exact"))
                .as("through the tenant's own index (its 50 candidates are the other model's; widened, or scanned)")
                .isEqualTo(ownIndex + 1);

        String capped = tenant("models-shared");
        Neo4jDocumentStore otherCapped = new Neo4jDocumentStore(graph, json, config, vectors(100, 0, otherModel));
        Neo4jDocumentStore cappedStore = new Neo4jDocumentStore(graph, json, config, vectors(100, 0));
        seed(otherCapped, capped, "theirs", near);
        seed(cappedStore, capped, "mine", few);
        assertThat(routedShared(Neo4jTenantVectors.Kind.CHUNK, capped)).isTrue();
        assertThat(cappedStore.nearest(capped, query, 5, Map.of()))
                .allMatch(h -> h.documentId().equals("mine"))
                .extracting(ScoredChunk::chunkIndex)
                .containsExactlyElementsOf(bruteForce(few, 5));

        String graphTenant = tenant("models-entities");
        Neo4jEntityGraph entities = new Neo4jEntityGraph(graph, json, config, vectors);
        Neo4jEntityGraph otherEntities = new Neo4jEntityGraph(graph, json, config, vectors(100, 1000, otherModel));
        entity(otherEntities, graphTenant, "theirs", "{}", towards(query, 0.05));
        entity(entities, graphTenant, "mine", "{}", unit(random));
        assertThat(entities.nearest(graphTenant, query, null, null, 5, List.of()))
                .extracting(h -> h.entity().id())
                .containsExactly("mine");
        assertThat(entities.embedding(graphTenant, "theirs")).isEmpty();
        assertThat(otherEntities.embedding(graphTenant, "theirs")).isPresent();
    }

    /**
     * The race of the routing: a write whose transaction read no marker yet (it started before the write that
     * finds the cap reached) commits after that write labelled the tenant's chunks, so its own chunks miss the
     * shared label. Run against the real Neo4j with an explicit transaction held open across the routing write.
     */
    @Test
    void aWriteRacingTheTenantsRoutingToTheSharedIndexIsStillFound() {
        Neo4jTenantVectors capped = vectors(100, 0);
        Neo4jDocumentStore cappedStore = new Neo4jDocumentStore(graph, json, config, capped);
        String r = tenant("raced");
        List<float[]> mine = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            mine.add(unit(random));
        }
        seed(cappedStore, r, "first", mine);
        assertThat(routedShared(Neo4jTenantVectors.Kind.CHUNK, r))
                .as("below the threshold")
                .isFalse();

        float[] nearest = towards(query, 0.2);
        Neo4jTenantVectors.Kind chunk = Neo4jTenantVectors.Kind.CHUNK;
        try (var session = neo4j.session();
                var racing = session.beginTransaction()) {
            // the store's own fragments: the marker read in the transaction, the label only when it was there
            boolean sawShared = racing.run(
                            Neo4jTenantVectors.readShared(chunk, "")
                                    + "MERGE (d:Document {tenant: $t, id: 'racing'}) SET d.title = 'racing', "
                                    + "d.metadata = '{}' WITH d, shared CREATE (d)-[:HAS_CHUNK]->(c:Chunk:"
                                    + Neo4jTenantVectors.label(chunk, r)
                                    + " {tenant: $t, documentId: 'racing', index: 0, text: 'racing', embedding: $v, "
                                    + "embeddingModel: $model}) "
                                    + Neo4jTenantVectors.labelIfShared(chunk, "c") + "RETURN shared",
                            Map.of("tenant", r, "t", r, "v", list(nearest), "model", vectors.model()))
                    .single()
                    .get("shared")
                    .asBoolean();
            assertThat(sawShared).isFalse();

            // meanwhile another write takes the tenant over the threshold with the cap reached: routed to shared
            List<float[]> more = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                more.add(unit(random));
            }
            seed(cappedStore, r, "crossing", more);
            assertThat(routedShared(chunk, r)).isTrue();
            racing.commit();
        }
        assertThat(count("MATCH (x:" + Neo4jTenantVectors.label(chunk, r) + ") RETURN count(x)"))
                .isEqualTo(111);
        assertThat(shared(chunk, r))
                .as("the racing write's chunk missed the label")
                .isEqualTo(110);

        double viaShared = searches("chunk", "shared") + searches("chunk", "shared+exact");
        List<ScoredChunk> hits = cappedStore.nearest(r, query, 3, Map.of());
        assertThat(searches("chunk", "shared") + searches("chunk", "shared+exact"))
                .isEqualTo(viaShared + 1);
        assertThat(hits.get(0).documentId())
                .as("found by the shared route's scan of the tenant's unlabelled chunks")
                .isEqualTo("racing");
        assertThat(hits).hasSize(3).extracting(ScoredChunk::score).isSortedAccordingTo(Comparator.reverseOrder());
    }

    @Test
    void entitiesGetTheirOwnIndexTooAndPropertyFiltersApplyInsideIt() {
        Neo4jEntityGraph entities = new Neo4jEntityGraph(graph, json, config, vectors);
        String b = tenant("crowd");
        String a = tenant("own");
        for (int i = 0; i < 110; i++) {
            entity(entities, b, "b" + i, "{\"group\":\"even\"}", towards(query, 0.05));
        }
        List<float[]> mine = own(108);
        for (int i = 0; i < mine.size(); i++) {
            entity(
                    entities,
                    a,
                    "a" + i,
                    "{\"group\":\"" + (i % 2 == 0 ? "even" : "odd") + "\",\"n\":" + i + "}",
                    mine.get(i));
        }
        assertThat(indexState(Neo4jTenantVectors.indexName(Neo4jTenantVectors.Kind.ENTITY, a)))
                .isEqualTo("ONLINE");
        assertThat(shared(Neo4jTenantVectors.Kind.ENTITY, a) + shared(Neo4jTenantVectors.Kind.ENTITY, b))
                .as("tenants with their own entity index stay out of the shared one")
                .isZero();

        double own = searches("entity", "tenant-index");
        List<ScoredEntity> hits = entities.nearest(a, query, null, null, 5, List.of());
        assertThat(searches("entity", "tenant-index")).isEqualTo(own + 1);
        assertThat(hits).hasSize(5).allMatch(h -> h.entity().tenant().equals(a));
        assertThat(hits.get(0).entity().id()).isEqualTo("a108");
        assertThat(hits.get(1).entity().id()).isEqualTo("a109");

        List<ScoredEntity> even =
                entities.nearest(a, query, null, null, 5, List.of(new PropertyFilter("group", List.of("even"))));
        assertThat(even).hasSize(5).allMatch(h -> h.entity().propertiesJson().contains("\"even\""));
        assertThat(even.get(0).entity().id()).isEqualTo("a108");
        List<ScoredEntity> some = entities.nearest(
                a, query, null, "a108", 5, List.of(new PropertyFilter("n", List.of(3L, 5.0, 108L, 109L))));
        assertThat(some)
                .extracting(h -> h.entity().id())
                .as("a108 excluded, in-list on numbers")
                .containsExactlyInAnyOrder("a109", "a3", "a5");
        assertThat(some.get(0).entity().id()).isEqualTo("a109");
    }

    @Test
    void theMigrationLabelsExistingChunksAndEntitiesIdempotently() {
        String m = tenant("legacy");
        try (var s = neo4j.session()) {
            // written as before per-tenant labels and property copies existed (with the model id V004 gives them first)
            s.run(
                            "CREATE (:Document {tenant: $t, id: 'old', title: 'old', contentType: 'text/plain', chunkCount: 2, "
                                    + "characters: 10, metadata: '{}', updatedAt: 0})",
                            Map.of("t", m))
                    .consume();
            s.run(
                            "UNWIND range(0, 1) AS i CREATE (:Chunk {tenant: $t, documentId: 'old', index: i, text: 'x', "
                                    + "embedding: $v, embeddingModel: $model})",
                            Map.of("t", m, "v", list(query), "model", vectors.model()))
                    .consume();
            s.run(
                            "CREATE (:Entity {tenant: $t, id: 'e1', type: 'service', properties: '{\"env\":\"prod\",\"n\":2,"
                                    + "\"tags\":[1]}', embedding: $v, embeddingModel: $model})",
                            Map.of("t", m, "v", list(query), "model", vectors.model()))
                    .consume();
        }
        Neo4jVectorMigration migration =
                new Neo4jVectorMigration(graph, vectors, new Neo4jEntityGraph(graph, json, config, vectors), config);
        assertThat(migration.migrateNow()).isGreaterThanOrEqualTo(3);
        try (var s = neo4j.session()) {
            assertThat(s.run(
                                    "MATCH (c:Chunk {tenant: $t}) WHERE $l IN labels(c) RETURN count(c) AS n",
                                    Map.of("t", m, "l", Neo4jTenantVectors.labelName(Neo4jTenantVectors.Kind.CHUNK, m)))
                            .single()
                            .get("n")
                            .asLong())
                    .isEqualTo(2);
            var e = s.run(
                            "MATCH (e:Entity {tenant: $t, id: 'e1'}) RETURN labels(e) AS l, e.p_env AS env, e.p_n AS n, "
                                    + "e.p_tags AS tags, e.derivedVersion AS v",
                            Map.of("t", m))
                    .single();
            assertThat(e.get("l").asList()).contains(Neo4jTenantVectors.labelName(Neo4jTenantVectors.Kind.ENTITY, m));
            assertThat(e.get("env").asString()).isEqualTo("prod");
            assertThat(e.get("n").asLong()).isEqualTo(2);
            assertThat(e.get("tags").isNull()).isTrue();
            assertThat(e.get("v").asInt()).isEqualTo(Neo4jEntityGraph.DERIVED_VERSION);
        }
        migration.migrateNow();
        try (var s = neo4j.session()) {
            assertThat(s.run(
                                    "MATCH (c:Chunk {tenant: $t}) RETURN count(c) AS n, sum(size(labels(c))) AS labels",
                                    Map.of("t", m))
                            .single()
                            .get("labels")
                            .asLong())
                    .as("labelled once, nothing added by a second run")
                    .isEqualTo(4);
        }
        assertThat(new Neo4jEntityGraph(graph, json, config, vectors)
                        .nearest(m, query, null, null, 5, List.of(new PropertyFilter("env", List.of("prod")))))
                .extracting(h -> h.entity().id())
                .containsExactly("e1");
    }

    private static void entity(Neo4jEntityGraph entities, String tenant, String id, String properties, float[] v) {
        entities.upsert(tenant, id, "thing", properties, Instant.now());
        entities.embed(tenant, id, "thing", properties, v);
    }

    private static List<Double> list(float[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (float f : v) {
            out.add((double) f);
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }

    private static float[] unit(Random random) {
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return normalise(v);
    }

    private float[] towards(float[] base, double eps) {
        return towards(base, eps, random);
    }

    /** {@code base} plus a random unit direction scaled by {@code eps}, normalised: cosine ≈ 1/√(1+eps²). */
    private static float[] towards(float[] base, double eps, Random random) {
        float[] noise = unit(random);
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) (base[i] + eps * noise[i]);
        }
        return normalise(v);
    }

    private static float[] normalise(float[] v) {
        double n = 0;
        for (float f : v) {
            n += f * f;
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }
}
