package dev.devloop.knowledge.adapters.out.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.knowledge.application.DocumentLimits;
import dev.devloop.knowledge.application.KeywordSide;
import dev.devloop.knowledge.application.ReadCache;
import dev.devloop.knowledge.application.SearchLimits;
import dev.devloop.knowledge.application.SearchService;
import dev.devloop.knowledge.domain.Document;
import dev.devloop.knowledge.domain.DocumentChunk;
import dev.devloop.knowledge.domain.ScoredChunk;
import dev.devloop.knowledge.domain.SearchHit;
import dev.devloop.knowledge.ports.in.SearchCommand;
import dev.devloop.knowledge.ports.out.DocumentStorePort;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

/**
 * The keyword query on the async driver answers what the blocking one answers, alone and inside a hybrid search; so
 * does a hybrid search's one statement ({@link DocumentStorePort#hybrid}) against the two single calls.
 */
@QuarkusTest
class KeywordAsyncTest {
    @Inject
    DocumentStorePort store;

    @Inject
    EmbeddingPort embeddings;

    @Inject
    SearchLimits searchLimits;

    @Inject
    DocumentLimits documentLimits;

    @Inject
    Driver neo4j;

    private final String tenant = "kw-async-" + UUID.randomUUID();

    private final String otherTenant = "kw-async-other-" + UUID.randomUUID();

    @AfterEach
    void cleanUp() {
        try (var s = neo4j.session()) {
            s.run("MATCH (n) WHERE n.tenant IN $t DETACH DELETE n", Map.of("t", List.of(tenant, otherTenant)))
                    .consume();
        }
    }

    private void seed(String id, Map<String, Object> metadata, String... texts) {
        seed(tenant, id, metadata, texts);
    }

    private void seed(String tenant, String id, Map<String, Object> metadata, String... texts) {
        List<DocumentChunk> chunks = new ArrayList<>();
        List<float[]> vectors = embeddings.embed(tenant, List.of(texts));
        for (int i = 0; i < texts.length; i++) {
            chunks.add(new DocumentChunk(i, texts[i], vectors.get(i)));
        }
        store.replace(new Document(tenant, id, id, "text/plain", metadata, texts.length, 100, Instant.now()), chunks);
    }

    @Test
    void asyncKeywordEqualsTheBlockingOne() {
        seed("a", Map.of("team", "core"), "Kafka partitions keep order.", "Consumers share partitions.");
        seed("b", Map.of("team", "web"), "Redis keys expire; partitions are a Kafka word.");

        for (Map<String, Object> filters : List.of(Map.<String, Object>of(), Map.<String, Object>of("team", "web"))) {
            List<ScoredChunk> blocking = store.keyword(tenant, "kafka partitions", 10, filters);
            List<ScoredChunk> async =
                    store.keywordAsync(tenant, "kafka partitions", 10, filters).join();
            assertThat(async).isNotEmpty().isEqualTo(blocking);
        }
        assertThat(store.keywordAsync(tenant, "?! --", 10, Map.of()).join()).isEmpty();
        assertThat(store.keywordAsync("kw-async-nobody", "kafka", 10, Map.of()).join())
                .isEmpty();
    }

    @Test
    void aHybridSearchWithTheAsyncKeywordSideRanksLikeThePoolOne() {
        seed("a", Map.of(), "Kafka partitions keep per-key order.", "Circuit breakers open after failures.");
        seed("b", Map.of(), "Vector indexes answer nearest-neighbour queries.");
        SearchService pool = new SearchService(
                store, embeddings, searchLimits, documentLimits, ReadCache.disabled(), KeywordSide.on(Runnable::run));
        SearchService async = new SearchService(
                store, embeddings, searchLimits, documentLimits, ReadCache.disabled(), KeywordSide.storeAsync());
        SearchCommand command = new SearchCommand(tenant, "kafka order", "hybrid", 3, null, null, null, null);

        List<SearchHit> expected = pool.search(command);
        assertThat(expected).isNotEmpty();
        assertThat(async.search(command)).isEqualTo(expected);
    }

    @Test
    void bothSidesInOneStatementEqualTheTwoCallsAndStayInTheTenant() {
        seed("a", Map.of("team", "core"), "Kafka partitions keep order.", "Consumers share partitions.");
        seed("b", Map.of("team", "web"), "Redis keys expire; partitions are a Kafka word.");
        float[] vector = embeddings.embed(tenant, List.of("kafka partitions")).get(0);
        assertThat(store.hybridInOne(tenant)).isTrue();
        for (Map<String, Object> filters : List.of(Map.<String, Object>of(), Map.<String, Object>of("team", "web"))) {
            for (String query : List.of("kafka partitions", "?! --")) {
                DocumentStorePort.HybridCandidates both = store.hybrid(tenant, vector, query, 10, filters);
                assertThat(both.vector()).isNotEmpty().isEqualTo(store.nearest(tenant, vector, 10, filters));
                assertThat(both.keyword()).isEqualTo(store.keyword(tenant, query, 10, filters));
            }
        }
        assertThat(store.hybrid(tenant, vector, "kafka partitions", 10, Map.of("team", "nobody")))
                .isEqualTo(new DocumentStorePort.HybridCandidates(List.of(), List.of()));
        assertThat(store.hybrid(tenant, vector, "kafka partitions", 1, Map.of()).keyword())
                .hasSize(1);
        // another tenant with the same words sees only its own chunks
        seed(otherTenant, "c", Map.of(), "Kafka partitions everywhere.");
        DocumentStorePort.HybridCandidates theirs = store.hybrid(otherTenant, vector, "kafka partitions", 10, Map.of());
        assertThat(theirs.vector()).extracting(ScoredChunk::documentId).containsOnly("c");
        assertThat(theirs.keyword()).extracting(ScoredChunk::documentId).containsOnly("c");
        DocumentStorePort.HybridCandidates ours = store.hybrid(tenant, vector, "kafka partitions", 10, Map.of());
        assertThat(ours.vector()).extracting(ScoredChunk::documentId).containsOnly("a", "b");
        assertThat(ours.keyword()).extracting(ScoredChunk::documentId).containsOnly("a", "b");
    }

    @Test
    void aHybridSearchInOneStatementRanksLikeTheOverlappedOne() {
        seed(
                "a",
                Map.of("team", "core"),
                "Kafka partitions keep per-key order.",
                "Circuit breakers open after failures.");
        seed("b", Map.of("team", "web"), "Vector indexes answer nearest-neighbour queries about Kafka.");
        SearchService overlapped = new SearchService(
                store, embeddings, searchLimits, documentLimits, ReadCache.disabled(), KeywordSide.on(Runnable::run));
        SearchService oneStatement = new SearchService(
                store,
                embeddings,
                searchLimits,
                documentLimits,
                ReadCache.disabled(),
                KeywordSide.on(Runnable::run),
                true);
        for (String fusion : List.of("weighted", "rrf")) {
            for (Map<String, Object> filters :
                    List.of(Map.<String, Object>of(), Map.<String, Object>of("team", "web"))) {
                SearchCommand command =
                        new SearchCommand(tenant, "kafka order", "hybrid", 3, filters, null, null, fusion);
                List<SearchHit> expected = overlapped.search(command);
                assertThat(expected).isNotEmpty();
                assertThat(oneStatement.search(command)).isEqualTo(expected);
            }
        }
    }
}
