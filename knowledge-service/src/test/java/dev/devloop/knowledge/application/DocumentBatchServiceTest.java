package dev.devloop.knowledge.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.knowledge.domain.TextSplitter;
import dev.devloop.knowledge.ports.in.BatchIngestResult;
import dev.devloop.knowledge.ports.in.BatchIngestResult.Outcome;
import dev.devloop.knowledge.ports.in.BatchIngestResult.Result;
import dev.devloop.knowledge.ports.in.IngestBatchCommand;
import dev.devloop.knowledge.ports.in.IngestDocumentCommand;
import dev.devloop.knowledge.support.HashingEmbeddings;
import dev.devloop.knowledge.support.InMemoryDocumentStore;
import dev.devloop.knowledge.support.MutableClock;
import dev.devloop.knowledge.support.Problems;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The batch ingest's core: one embedding pass across documents, one store write, outcomes per document, bounds. */
class DocumentBatchServiceTest {
    private final InMemoryDocumentStore store = new InMemoryDocumentStore();
    private final HashingEmbeddings embeddings = new HashingEmbeddings();
    private final DocumentLimits limits = new DocumentLimits(120, 20, 2000, 10, 64, 100, 4, 50, 4);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final DocumentService documents =
            new DocumentService(store, embeddings, limits, new BatchLimits(5, 5000, 12), clock, ReadCache.disabled());

    private static IngestDocumentCommand doc(String id, String text) {
        return new IngestDocumentCommand(null, id, "Title " + id, text, "text/plain", Map.of("team", "core"));
    }

    private final TextSplitter splitter = new TextSplitter(120, 20);

    /** Several chunks at the test's 120-character chunk size. */
    private static String severalChunks(String word) {
        return (word + " one two three four five six seven eight nine ten eleven twelve. ").repeat(3);
    }

    private BatchIngestResult batch(String tenant, IngestDocumentCommand... docs) {
        return documents.ingestBatch(new IngestBatchCommand(tenant, Arrays.asList(docs)));
    }

    @Test
    void chunksOfAllDocumentsAreEmbeddedTogetherAndWrittenInOneStoreCall() {
        String a = severalChunks("alpha");
        String b = severalChunks("beta");
        int expected = splitter.split(a).size() + splitter.split(b).size() + 1;
        BatchIngestResult r = batch("acme", doc("a", a), doc("b", b), doc("c", "gamma"));

        assertThat(r.results()).extracting(Outcome::result).containsOnly(Result.CREATED);
        assertThat(r.results().stream().mapToInt(Outcome::chunkCount).sum()).isEqualTo(expected);
        // every chunk text of the three documents, in order, in calls of at most 4 (embedBatchSize): a call spans
        // documents, so there are ceil(n / 4) calls, not one per document
        assertThat(embeddings.calls).hasSize((expected + 3) / 4);
        assertThat(embeddings.calls.subList(0, embeddings.calls.size() - 1))
                .allSatisfy(call -> assertThat(call).hasSize(4));
        assertThat(embeddings.calls.stream().flatMap(List::stream).toList())
                .startsWith(splitter.split(a).toArray(String[]::new))
                .endsWith("gamma");
        assertThat(store.writes).containsExactly(3);
        assertThat(store.chunks.get("acme\u0000b")).extracting(c -> c.text()).isEqualTo(splitter.split(b));
    }

    @Test
    void aRepostIsUnchangedWithoutEmbeddingOrWritingAndAChangedDocumentIsReplaced() {
        batch("acme", doc("a", "alpha text"), doc("b", "beta text"));
        embeddings.calls.clear();
        store.writes.clear();

        BatchIngestResult same = batch("acme", doc("a", "alpha text"), doc("b", "beta text"));
        assertThat(same.results()).extracting(Outcome::result).containsOnly(Result.UNCHANGED);
        assertThat(embeddings.calls).isEmpty();
        assertThat(store.writes).isEmpty();

        BatchIngestResult changed = batch("acme", doc("a", "alpha text"), doc("b", "beta text, edited"));
        assertThat(changed.results()).extracting(Outcome::result).containsExactly(Result.UNCHANGED, Result.REPLACED);
        assertThat(store.writes).containsExactly(1);
        assertThat(embeddings.calls).containsExactly(List.of("beta text, edited"));
    }

    @Test
    void aSingleIngestStoresTheHashSoTheSameContentInABatchIsUnchanged() {
        documents.ingest(
                new IngestDocumentCommand("acme", "a", "Title a", "alpha text", "text/plain", Map.of("team", "core")));
        assertThat(batch("acme", doc("a", "alpha text")).results())
                .extracting(Outcome::result)
                .containsExactly(Result.UNCHANGED);
        assertThat(batch(
                                "acme",
                                new IngestDocumentCommand(
                                        null, "a", "Other title", "alpha text", "text/plain", Map.of("team", "core")))
                        .results())
                .extracting(Outcome::result)
                .containsExactly(Result.REPLACED);
    }

    @Test
    void aSingleRepostOfTheSameContentIsANoOpAndReturnsTheStoredDocument() {
        IngestDocumentCommand first =
                new IngestDocumentCommand("acme", "a", "Title a", "alpha text", "text/plain", Map.of("team", "core"));
        var stored = documents.ingest(first);
        embeddings.calls.clear();
        store.writes.clear();
        clock.advance(java.time.Duration.ofMinutes(5));

        var again = documents.ingest(first);
        assertThat(again).isEqualTo(stored);
        assertThat(embeddings.calls).isEmpty();
        assertThat(store.writes).isEmpty();

        var edited = documents.ingest(
                new IngestDocumentCommand("acme", "a", "Title a", "alpha text, edited", "text/plain", Map.of()));
        assertThat(edited.updatedAt()).isAfter(stored.updatedAt());
        assertThat(store.writes).containsExactly(1);
        assertThat(embeddings.calls).containsExactly(List.of("alpha text, edited"));
        // a document without an id is always new, never compared
        documents.ingest(new IngestDocumentCommand("acme", null, "Title a", "alpha text", "text/plain", Map.of()));
        assertThat(store.writes).containsExactly(1, 1);
    }

    @Test
    void invalidDocumentsAreRejectedWithTheirIndexAndTheOthersWritten() {
        BatchIngestResult r = batch(
                "acme",
                doc("a", "alpha"),
                doc("b", " "),
                null,
                doc("a", "alpha again"),
                new IngestDocumentCommand(null, "e", "T", "x".repeat(3000), "text/plain", Map.of()));

        assertThat(r.results())
                .extracting(Outcome::result)
                .containsExactly(Result.CREATED, Result.REJECTED, Result.REJECTED, Result.REJECTED, Result.REJECTED);
        List<String> problems = new ArrayList<>();
        r.results().stream()
                .filter(o -> o.rejection() != null)
                .forEach(o -> problems.add(Problems.of(o.rejection()).status() + " "
                        + Problems.of(o.rejection()).field()));
        assertThat(problems)
                .containsExactly(
                        "400 documents[1].text", "400 documents[2]", "400 documents[3].id", "413 documents[4].text");
        assertThat(store.documents).containsOnlyKeys("acme\u0000a");
    }

    @Test
    void theBatchBoundsRefuseTheWholeBatch() {
        assertThat(refusal(() -> batch("acme"))).isEqualTo("400 documents");
        IngestDocumentCommand[] six = new IngestDocumentCommand[6];
        Arrays.fill(six, doc("a", "x"));
        assertThat(refusal(() -> batch("acme", six))).isEqualTo("413 documents");
        // 3 × 1900 bytes > 5000 bytes for the batch, though each document is within its own 2000
        String big = "word ".repeat(380);
        assertThat(refusal(() -> batch("acme", doc("a", big), doc("b", big), doc("c", big))))
                .isEqualTo("413 documents");
        // 2 × 7..10 chunks > 12 chunks for the batch, though each document is within its own 10
        String eight = "abcdefghij ".repeat(80);
        assertThat(splitter.split(eight).size()).isBetween(7, 10);
        assertThat(refusal(() -> batch("acme", doc("a", eight), doc("b", eight))))
                .isEqualTo("413 documents");
        assertThat(store.writes).isEmpty();
        assertThat(embeddings.calls).isEmpty();
    }

    @Test
    void tenantsDoNotShareDocumentsOrHashes() {
        batch("acme", doc("a", "alpha"));
        assertThat(batch("globex", doc("a", "alpha")).results())
                .extracting(Outcome::result)
                .containsExactly(Result.CREATED);
        assertThat(store.documents).containsOnlyKeys("acme\u0000a", "globex\u0000a");
    }

    private static String refusal(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return Problems.of(e).status() + " " + Problems.of(e).field();
        }
        throw new AssertionError("no refusal");
    }
}
