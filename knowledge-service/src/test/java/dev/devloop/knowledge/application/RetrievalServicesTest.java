package dev.devloop.knowledge.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.knowledge.domain.Document;
import dev.devloop.knowledge.domain.SearchHit;
import dev.devloop.knowledge.ports.in.IngestDocumentCommand;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.in.RagAnswer;
import dev.devloop.knowledge.ports.in.RagQueryCommand;
import dev.devloop.knowledge.ports.in.SearchCommand;
import dev.devloop.knowledge.ports.out.DependencyUnavailableException;
import dev.devloop.knowledge.support.HashingEmbeddings;
import dev.devloop.knowledge.support.InMemoryDocumentStore;
import dev.devloop.knowledge.support.InMemoryGeneration;
import dev.devloop.knowledge.support.MutableClock;
import dev.devloop.knowledge.support.Problems;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetrievalServicesTest {
    private final InMemoryDocumentStore store = new InMemoryDocumentStore();
    private final HashingEmbeddings embeddings = new HashingEmbeddings();
    private final InMemoryGeneration generation = new InMemoryGeneration();
    private final DocumentLimits limits = new DocumentLimits(120, 20, 2000, 10, 64, 100, 4, 50, 3);
    private DocumentService documents;
    private SearchService search;
    private RagService rag;

    @BeforeEach
    void wire() {
        documents =
                new DocumentService(store, embeddings, limits, new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
        search = new SearchService(store, embeddings, new SearchLimits(5, 50, 200, 4, 100, 0.7, 0.3), limits);
        rag = new RagService(search, generation, new RagLimits(500, 3, 10, 60, 256));
    }

    private Document ingest(String tenant, String id, String title, String text, Map<String, Object> metadata) {
        return documents.ingest(new IngestDocumentCommand(tenant, id, title, text, "text/plain", metadata));
    }

    private static String field(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return Problems.of(e).status() + " " + Problems.of(e).field();
        }
        throw new AssertionError("no problem raised");
    }

    @Test
    void ingestionChunksEmbedsInBoundedBatchesAndReplaces() {
        String text = "Paragraph one about kafka topics and partitions.\n\n".repeat(8);
        Document d = ingest("t1", "doc", "Kafka", text, Map.of("team", "core", "year", 2026));
        assertThat(d.chunkCount()).isGreaterThan(3);
        assertThat(embeddings.calls)
                .allSatisfy(batch -> assertThat(batch.size()).isLessThanOrEqualTo(3));
        assertThat(store.chunks.get("t1\u0000doc")).hasSize(d.chunkCount());
        assertThat(d.metadata()).containsEntry("year", 2026L);

        Document again = ingest("t1", "doc", "Kafka v2", "Short text now.", null);
        assertThat(again.chunkCount()).isEqualTo(1);
        assertThat(store.chunks.get("t1\u0000doc")).hasSize(1);
        assertThat(documents.get("t1", "doc").title()).isEqualTo("Kafka v2");
        assertThatThrownBy(() -> documents.get("t2", "doc"))
                .isInstanceOf(KnowledgeRefusal.class)
                .hasMessageContaining("No document");
        documents.delete("t1", "doc");
        assertThat(field(() -> documents.get("t1", "doc"))).isEqualTo("404 null");
    }

    @Test
    void ingestionValidatesEveryField() {
        assertThat(field(() -> ingest(null, null, "T", "x", null))).isEqualTo("400 X-Devloop-Tenant");
        assertThat(field(() -> ingest("t", null, " ", "x", null))).isEqualTo("400 title");
        assertThat(field(() -> ingest("t", null, "T", "", null))).isEqualTo("400 text");
        assertThat(field(() -> ingest("t", "a\u0001", "T", "x", null))).isEqualTo("400 id");
        assertThat(field(() -> documents.ingest(new IngestDocumentCommand("t", null, "T", "x", "text/html", null))))
                .isEqualTo("400 contentType");
        assertThat(field(() -> ingest("t", null, "T", "x".repeat(2001), null))).isEqualTo("413 text");
        assertThat(field(() -> ingest("t", null, "T", "word ".repeat(390), null)))
                .isEqualTo("413 text");
        assertThat(field(() -> ingest("t", null, "T", "x", Map.of("nested", Map.of("a", 1)))))
                .isEqualTo("400 metadata.nested");
        assertThat(field(() -> ingest("t", null, "T", "x", Map.of("bad key", "v"))))
                .isEqualTo("400 metadata");
        assertThat(field(() -> ingest("t", null, "T", "x", Map.of("a", 1, "b", 2, "c", 3, "d", 4, "e", 5))))
                .isEqualTo("400 metadata");
        assertThat(store.documents).isEmpty();
    }

    @Test
    void searchModesFiltersAndTenantIsolation() {
        ingest("t1", "whales", "Whales", "Blue whales are the largest animals in the ocean.", Map.of("kind", "animal"));
        ingest("t1", "rust", "Rust", "Rust ownership and borrowing prevent data races.", Map.of("kind", "code"));
        ingest("t2", "other", "Other", "Blue whales sing songs in the ocean.", Map.of("kind", "animal"));

        for (String mode : List.of("vector", "keyword", "hybrid")) {
            List<SearchHit> hits =
                    search.search(new SearchCommand("t1", "blue whales ocean", mode, 5, null, null, null, null));
            assertThat(hits).isNotEmpty();
            assertThat(hits.get(0).documentId()).isEqualTo("whales");
            assertThat(hits).extracting(SearchHit::documentId).doesNotContain("other");
        }
        List<SearchHit> filtered = search.search(
                new SearchCommand("t1", "blue whales ocean", "vector", 5, Map.of("kind", "code"), null, null, null));
        assertThat(filtered).extracting(SearchHit::documentId).containsExactly("rust");
        List<SearchHit> rrf = search.search(new SearchCommand("t1", "ownership", "hybrid", 1, null, null, null, "rrf"));
        assertThat(rrf).extracting(SearchHit::documentId).containsExactly("rust");
        assertThat(rrf.get(0).vectorScore()).isNotNull();
        assertThat(rrf.get(0).keywordScore()).isNotNull();
    }

    @Test
    void hybridRunsTheKeywordSideOnTheGivenExecutorWithTheSameResultsAndItsOwnFailure() throws Exception {
        ingest("t1", "whales", "Whales", "Blue whales are the largest animals in the ocean.", Map.of("kind", "animal"));
        ingest("t1", "rust", "Rust", "Rust ownership and borrowing prevent data races.", Map.of("kind", "code"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.Set<String> keywordThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            InMemoryDocumentStore watched = new InMemoryDocumentStore() {
                @Override
                public List<dev.devloop.knowledge.domain.ScoredChunk> keyword(
                        String tenant, String query, int limit, Map<String, Object> filters) {
                    keywordThreads.add(Thread.currentThread().getName());
                    return store.keyword(tenant, query, limit, filters);
                }

                @Override
                public List<dev.devloop.knowledge.domain.ScoredChunk> nearest(
                        String tenant, float[] vector, int limit, Map<String, Object> filters) {
                    return store.nearest(tenant, vector, limit, filters);
                }
            };
            SearchService overlapped = new SearchService(
                    watched,
                    embeddings,
                    new SearchLimits(5, 50, 200, 4, 100, 0.7, 0.3),
                    limits,
                    ReadCache.disabled(),
                    pool);
            for (String fusion : List.of("weighted", "rrf")) {
                SearchCommand command =
                        new SearchCommand("t1", "blue whales ownership", "hybrid", 5, null, null, null, fusion);
                assertThat(overlapped.search(command)).isEqualTo(search.search(command));
            }
            assertThat(keywordThreads)
                    .hasSize(1)
                    .doesNotContain(Thread.currentThread().getName());

            SearchService failing = new SearchService(
                    new InMemoryDocumentStore() {
                        @Override
                        public List<dev.devloop.knowledge.domain.ScoredChunk> keyword(
                                String tenant, String query, int limit, Map<String, Object> filters) {
                            throw new dev.devloop.knowledge.ports.out.DependencyUnavailableException(
                                    "neo4j", "down", null);
                        }
                    },
                    embeddings,
                    new SearchLimits(5, 50, 200, 4, 100, 0.7, 0.3),
                    limits,
                    ReadCache.disabled(),
                    pool);
            assertThatThrownBy(() ->
                            failing.search(new SearchCommand("t1", "whales", "hybrid", 5, null, null, null, null)))
                    .isInstanceOf(dev.devloop.knowledge.ports.out.DependencyUnavailableException.class);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void searchValidatesEveryField() {
        assertThat(field(() -> search.search(new SearchCommand("t", "q", "semantic", null, null, null, null, null))))
                .isEqualTo("400 mode");
        assertThat(field(() -> search.search(new SearchCommand("t", " ", null, null, null, null, null, null))))
                .isEqualTo("400 query");
        assertThat(field(() -> search.search(new SearchCommand("t", "q", null, 0, null, null, null, null))))
                .isEqualTo("400 limit");
        assertThat(field(() -> search.search(new SearchCommand("t", "q", null, 51, null, null, null, null))))
                .isEqualTo("400 limit");
        assertThat(field(() -> search.search(new SearchCommand("t", "q", null, null, null, 1.5, null, null))))
                .isEqualTo("400 weights.vector");
        assertThat(field(() -> search.search(new SearchCommand("t", "q", null, null, null, 0.0, 0.0, null))))
                .isEqualTo("400 weights");
        assertThat(field(() -> search.search(new SearchCommand("t", "q", null, null, null, null, null, "max"))))
                .isEqualTo("400 fusion");
        Map<String, Object> nested = new HashMap<>();
        nested.put("k", List.of(1));
        assertThat(field(() -> search.search(new SearchCommand("t", "q", null, null, nested, null, null, null))))
                .isEqualTo("400 filters.k");
        assertThat(embeddings.calls).isEmpty();
    }

    @Test
    void ragNumbersDeduplicatesAndBoundsSourcesThenGenerates() {
        ingest("t1", "a", "Alpha", "Kafka partitions order records per key.", null);
        ingest("t1", "b", "Beta", "Kafka partitions order records per key.", null);
        ingest("t1", "c", "Gamma", "Kafka consumer groups share partitions between members of the group.", null);

        RagAnswer answer = rag.answer(
                new RagQueryCommand("t1", "How do kafka partitions order records?", null, "keyword", null, "gpt-x"));
        assertThat(answer.answer()).isEqualTo("An answer [1].");
        assertThat(answer.usage().totalTokens()).isEqualTo(128);
        // duplicate text of b is dropped; the 240-char budget (60 tokens) keeps both remaining sources
        assertThat(answer.sources()).extracting(RagAnswer.Source::index).containsExactly(1, 2);
        assertThat(answer.sources())
                .extracting(RagAnswer.Source::documentId)
                .doesNotHaveDuplicates()
                .containsAnyOf("a", "b")
                .contains("c");
        GenerateRequest request = generation.requests.get(0);
        assertThat(request.model()).isEqualTo("gpt-x");
        assertThat(request.options().maxTokens()).isEqualTo(256);
        ChatMessage system = request.messages().get(0);
        assertThat(system.role()).isEqualTo("system");
        assertThat(system.content()).contains("[1] ").contains("[2] Gamma").doesNotContain("<document");
        assertThat(request.messages().get(1).content()).isEqualTo("How do kafka partitions order records?");
    }

    @Test
    void ragUsesXmlDocumentsForAnthropicAndStaysWithinTheBudget() {
        ingest("t1", "a", "A <&> title", "Kafka partitions order records per key.", null);
        for (int i = 0; i < 4; i++) {
            ingest(
                    "t1",
                    "g" + i,
                    "Gamma " + i,
                    "Kafka partitions " + i + " are spread over brokers, and a rebalance "
                            + "moves partitions when consumers join or leave the group.",
                    null);
        }
        RagAnswer answer = rag.answer(
                new RagQueryCommand("t1", "kafka partitions order records", 5, "keyword", "anthropic", null));
        String system = generation.requests.get(0).messages().get(0).content();
        assertThat(system)
                .contains("<documents>")
                .contains("<document index=\"1\">")
                .contains("</documents>")
                .contains("A &lt;&amp;&gt; title")
                .doesNotContain("[1] ");
        // five hits of ~40-110 characters against a 240-character budget (60 tokens): not all fit
        assertThat(answer.sources()).hasSizeBetween(1, 3);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?s)<document_content>(.*?)</document_content>")
                .matcher(system);
        int contents = 0;
        int count = 0;
        while (m.find()) {
            contents += m.group(1).length();
            count++;
        }
        assertThat(count).isEqualTo(answer.sources().size());
        assertThat(contents).isLessThanOrEqualTo(240 + 10);
    }

    @Test
    void ragValidatesAndMapsAProviderOutage() {
        assertThat(field(() -> rag.answer(new RagQueryCommand("t1", "", null, null, null, null))))
                .isEqualTo("400 question");
        assertThat(field(() -> rag.answer(new RagQueryCommand("t1", "q", 11, null, null, null))))
                .isEqualTo("400 limit");
        assertThat(field(() -> rag.answer(new RagQueryCommand("t1", "q", null, "x", null, null))))
                .isEqualTo("400 mode");
        assertThat(field(() -> rag.answer(new RagQueryCommand("t1", "q", null, null, "bad provider", null))))
                .isEqualTo("400 provider");
        ingest("t1", "a", "Alpha", "Kafka partitions order records per key.", null);
        generation.down = true;
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
                DependencyUnavailableException.class,
                () -> rag.answer(new RagQueryCommand("t1", "kafka", null, null, null, null)));
        assertThat(Problems.of(e).status()).isEqualTo(503);
        assertThat(Problems.of(e).type()).endsWith("provider-unavailable");
    }
}
