package dev.devloop.knowledge.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.knowledge.domain.Document;
import dev.devloop.knowledge.ports.in.IngestDocumentCommand;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import dev.devloop.knowledge.support.HashingEmbeddings;
import dev.devloop.knowledge.support.InMemoryDocumentStore;
import dev.devloop.knowledge.support.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stop 34: a single named document's embedding overlaps the read of its stored content hash when the embedder can
 * stop early (the in-process model), so the read is no longer a round trip on the document's path; a re-post whose
 * hash matches abandons the embedding and writes nothing; an embedder that cannot stop keeps the read first.
 */
class DocumentIngestOverlapTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final DocumentLimits limits = new DocumentLimits(120, 20, 2000, 10, 64, 100, 4, 50, 4);

    /** A store whose asynchronous hash reads stay pending until the test (or the embedder) answers them. */
    static final class SlowHashStore extends InMemoryDocumentStore {
        final List<CompletableFuture<Map<String, String>>> pending = new ArrayList<>();
        boolean down;

        @Override
        public CompletableFuture<Map<String, String>> contentHashesAsync(String tenant, List<String> ids) {
            CompletableFuture<Map<String, String>> answer = new CompletableFuture<>();
            pending.add(answer);
            return answer;
        }

        /** Answers the oldest pending read with what the store holds now, or fails it when {@link #down}. */
        void answer(String tenant, List<String> ids) {
            CompletableFuture<Map<String, String>> next = pending.remove(0);
            if (down) {
                next.completeExceptionally(new TierUnavailableException("neo4j", new IllegalStateException("down")));
            } else {
                next.complete(contentHashes(tenant, ids));
            }
        }
    }

    /**
     * Stops early; on each call records whether the document's hash read was still pending, then answers that read
     * itself (as the store would, mid-embedding) and, if the call is abandoned as a result, throws like the model.
     */
    static final class StoppableEmbeddings implements EmbeddingPort {
        final HashingEmbeddings vectors = new HashingEmbeddings();
        final SlowHashStore store;
        final List<Boolean> hashPendingAtStart = new ArrayList<>();
        int abandoned;

        StoppableEmbeddings(SlowHashStore store) {
            this.store = store;
        }

        @Override
        public boolean stopsEarly() {
            return true;
        }

        @Override
        public List<float[]> embed(String tenant, List<String> texts) {
            return vectors.embed(tenant, texts);
        }

        @Override
        public List<float[]> embed(String tenant, List<String> texts, CompletionStage<?> abandon) {
            hashPendingAtStart.add(!store.pending.isEmpty());
            if (!store.pending.isEmpty()) {
                store.answer(tenant, List.of("a"));
            }
            if (abandon.toCompletableFuture().isDone()) {
                abandoned++;
                throw new CancellationException("abandoned");
            }
            return vectors.embed(tenant, texts);
        }

        @Override
        public int dimensions() {
            return vectors.dimensions();
        }

        @Override
        public String model() {
            return vectors.model();
        }
    }

    private static IngestDocumentCommand doc(String text) {
        return new IngestDocumentCommand("acme", "a", "Title", text, "text/plain", Map.of());
    }

    @Test
    void aNewDocumentIsEmbeddedWhileItsStoredHashIsStillBeingRead() {
        SlowHashStore store = new SlowHashStore();
        StoppableEmbeddings embeddings = new StoppableEmbeddings(store);
        DocumentService documents = new DocumentService(store, embeddings, limits, clock);

        Document written = documents.ingest(doc("alpha text"));

        assertThat(embeddings.hashPendingAtStart).containsExactly(true);
        assertThat(store.writes).containsExactly(1);
        assertThat(store.find("acme", "a")).contains(written);
        assertThat(store.pending).isEmpty();
    }

    @Test
    void aRepostWhoseHashMatchesAbandonsTheEmbeddingAndWritesNothing() {
        SlowHashStore store = new SlowHashStore();
        StoppableEmbeddings embeddings = new StoppableEmbeddings(store);
        DocumentService documents = new DocumentService(store, embeddings, limits, clock);
        Document first = documents.ingest(doc("alpha text"));
        clock.advance(java.time.Duration.ofSeconds(5));

        Document again = documents.ingest(doc("alpha text"));
        Document changed = documents.ingest(doc("alpha text, edited"));

        assertThat(embeddings.abandoned).isEqualTo(1);
        assertThat(again).isEqualTo(first);
        assertThat(store.writes).containsExactly(1, 1);
        assertThat(changed.updatedAt()).isAfter(first.updatedAt());
        assertThat(store.chunks.get("acme\u0000a").get(0).text()).isEqualTo("alpha text, edited");
    }

    @Test
    void aFailedHashReadFailsTheIngestAndWritesNothing() {
        SlowHashStore store = new SlowHashStore();
        store.down = true;
        StoppableEmbeddings embeddings = new StoppableEmbeddings(store);
        DocumentService documents = new DocumentService(store, embeddings, limits, clock);

        assertThatThrownBy(() -> documents.ingest(doc("alpha text"))).isInstanceOf(TierUnavailableException.class);
        assertThat(store.writes).isEmpty();
    }

    /** Regression guard (passes on the code before stop 34 too): the gateway embedder's path is unchanged. */
    @Test
    void anEmbedderThatCannotStopStillReadsTheHashFirst() throws Exception {
        SlowHashStore store = new SlowHashStore();
        HashingEmbeddings embeddings = new HashingEmbeddings();
        DocumentService documents = new DocumentService(store, embeddings, limits, clock);
        documents.ingest(doc("alpha text"));
        embeddings.calls.clear();

        Document again = CompletableFuture.supplyAsync(() -> documents.ingest(doc("alpha text")))
                .get(10, TimeUnit.SECONDS);

        assertThat(embeddings.calls).isEmpty();
        assertThat(store.pending).isEmpty();
        assertThat(again.id()).isEqualTo("a");
        assertThat(store.writes).containsExactly(1);
    }
}
