package dev.devloop.knowledge.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.knowledge.domain.CacheRegion;
import dev.devloop.knowledge.domain.Document;
import dev.devloop.knowledge.domain.DocumentChunk;
import dev.devloop.knowledge.domain.IngestedDocument;
import dev.devloop.knowledge.domain.TextSplitter;
import dev.devloop.knowledge.ports.in.BatchIngestResult;
import dev.devloop.knowledge.ports.in.BatchIngestResult.Outcome;
import dev.devloop.knowledge.ports.in.BatchIngestResult.Result;
import dev.devloop.knowledge.ports.in.DocumentUseCase;
import dev.devloop.knowledge.ports.in.IngestBatchCommand;
import dev.devloop.knowledge.ports.in.IngestDocumentCommand;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.out.DocumentStorePort;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/** Ingests documents, one or a batch: validate, split into overlapping chunks, embed in bounded batches, store. */
public class DocumentService implements DocumentUseCase {
    private static final Logger LOG = Logger.getLogger(DocumentService.class);

    private final DocumentStorePort store;
    private final EmbeddingPort embeddings;
    private final DocumentLimits limits;
    private final BatchLimits batchLimits;
    private final TextSplitter splitter;
    private final Clock clock;
    private final ReadCache cache;

    public DocumentService(DocumentStorePort store, EmbeddingPort embeddings, DocumentLimits limits, Clock clock) {
        this(store, embeddings, limits, BatchLimits.DEFAULTS, clock, ReadCache.disabled());
    }

    /** With a read cache: ingesting or deleting a document invalidates the tenant's cached search results. */
    public DocumentService(
            DocumentStorePort store,
            EmbeddingPort embeddings,
            DocumentLimits limits,
            BatchLimits batchLimits,
            Clock clock,
            ReadCache cache) {
        this.cache = cache;
        this.store = store;
        this.embeddings = embeddings;
        this.limits = limits;
        this.batchLimits = batchLimits;
        this.splitter = new TextSplitter(limits.chunkSize(), limits.chunkOverlap());
        this.clock = clock;
    }

    @Override
    public Document ingest(IngestDocumentCommand command) {
        String tenant = KnowledgeTenants.checked(command.tenant());
        PreparedDocument prepared = PreparedDocument.of(command, limits, splitter);
        IngestedDocument ingested;
        if (prepared.generatedId()) {
            ingested = embeddedOne(tenant, prepared);
        } else if (embeddings.stopsEarly()) {
            Optional<IngestedDocument> changed = embeddedUnlessUnchanged(tenant, prepared);
            if (changed.isEmpty()) {
                return unchangedDocument(tenant, prepared);
            }
            ingested = changed.get();
        } else {
            Optional<Document> same = unchanged(tenant, prepared);
            if (same.isPresent()) {
                LogFields.of("tenant", tenant, "documentId", prepared.id()).info(LOG, "document unchanged");
                return same.get();
            }
            ingested = embeddedOne(tenant, prepared);
        }
        return written(tenant, ingested);
    }

    /** One document's chunks embedded. */
    private IngestedDocument embeddedOne(String tenant, PreparedDocument prepared) {
        return embedded(tenant, List.of(prepared), clock.instant(), null).get(0);
    }

    /** Stores one ingested document, drops the tenant's cached searches, logs it; its stored form. */
    private Document written(String tenant, IngestedDocument ingested) {
        store.replaceAll(tenant, List.of(ingested));
        cache.invalidate(tenant, Set.of(CacheRegion.SEARCH), List.of(), "document ingested");
        logIngested(ingested.document());
        return ingested.document();
    }

    /**
     * A named document's chunks embedded while its stored content hash is read (one store round trip fewer on the
     * document's path: the read no longer comes before the embedding), or empty when the stored hash equals this
     * content's: then the embedding is abandoned as soon as the hash arrives (between chunks, or inside the running
     * inference), so a re-post still costs about one read. An embedding failure counts only when the document changed.
     */
    private Optional<IngestedDocument> embeddedUnlessUnchanged(String tenant, PreparedDocument prepared) {
        CompletableFuture<Map<String, String>> stored = store.contentHashesAsync(tenant, List.of(prepared.id()));
        CompletableFuture<Void> unchanged = new CompletableFuture<>();
        stored.thenAccept(hashes -> {
            if (prepared.contentHash().equals(hashes.get(prepared.id()))) {
                unchanged.complete(null);
            }
        });
        IngestedDocument ingested = null;
        RuntimeException failed = null;
        try {
            ingested = embedded(tenant, List.of(prepared), clock.instant(), unchanged)
                    .get(0);
        } catch (CancellationException e) {
            // the stored hash arrived and matched: nothing to write
        } catch (RuntimeException e) {
            failed = e;
        }
        Map<String, String> hashes;
        try {
            hashes = stored.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        if (prepared.contentHash().equals(hashes.get(prepared.id()))) {
            return Optional.empty();
        }
        if (failed != null) {
            throw failed;
        }
        return Optional.of(ingested);
    }

    /** The stored document of a re-post whose content hash matched (read back as {@link #unchanged} does). */
    private Document unchangedDocument(String tenant, PreparedDocument prepared) {
        Optional<Document> same = store.find(tenant, prepared.id());
        if (same.isEmpty()) {
            // deleted between the hash read and now: write it as new
            return written(tenant, embeddedOne(tenant, prepared));
        }
        LogFields.of("tenant", tenant, "documentId", prepared.id()).info(LOG, "document unchanged");
        return same.get();
    }

    /**
     * The stored document when it already holds exactly this content: a re-post is then a no-op (no embedding, no
     * write, no cache invalidation), as in a batch. One read of the stored hash per named document; the document
     * itself is read only when the hash matches.
     */
    private Optional<Document> unchanged(String tenant, PreparedDocument prepared) {
        String stored = store.contentHashes(tenant, List.of(prepared.id())).get(prepared.id());
        return prepared.contentHash().equals(stored) ? store.find(tenant, prepared.id()) : Optional.empty();
    }

    /**
     * Invalid documents are rejected one by one (the others are still written): a client resending the batch after
     * fixing one document gets the others back as unchanged, at the cost of one read. The store write is one
     * transaction for every created or replaced document, and the search cache is invalidated once for all of them.
     */
    @Override
    public BatchIngestResult ingestBatch(IngestBatchCommand command) {
        String tenant = KnowledgeTenants.checked(command.tenant());
        List<IngestDocumentCommand> requests = checkedBatch(command.documents());
        Outcome[] outcomes = new Outcome[requests.size()];
        List<PreparedDocument> valid = new ArrayList<>();
        List<Integer> validIndex = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int chunks = 0;
        for (int i = 0; i < requests.size(); i++) {
            String prefix = "documents[" + i + "]";
            try {
                if (requests.get(i) == null) {
                    throw KnowledgeRefusal.invalid(null, "a document object is required");
                }
                PreparedDocument p = PreparedDocument.of(requests.get(i), limits, splitter);
                if (!ids.add(p.id())) {
                    throw KnowledgeRefusal.invalid("id", "id " + p.id() + " appears earlier in this batch");
                }
                valid.add(p);
                validIndex.add(i);
                chunks += p.pieces().size();
            } catch (KnowledgeRefusal r) {
                String id = requests.get(i) == null ? null : requests.get(i).id();
                outcomes[i] = new Outcome(i, id, Result.REJECTED, 0, prefixed(prefix, r));
            }
        }
        if (chunks > batchLimits.maxChunks()) {
            throw batchTooLarge("the batch splits into " + chunks + " chunks, more than " + batchLimits.maxChunks());
        }
        List<String> named = valid.stream()
                .filter(p -> !p.generatedId())
                .map(PreparedDocument::id)
                .toList();
        Map<String, String> stored = named.isEmpty() ? Map.<String, String>of() : store.contentHashes(tenant, named);
        List<PreparedDocument> changed = new ArrayList<>();
        List<Integer> changedIndex = new ArrayList<>();
        for (int k = 0; k < valid.size(); k++) {
            PreparedDocument p = valid.get(k);
            int i = validIndex.get(k);
            if (p.contentHash().equals(stored.get(p.id()))) {
                outcomes[i] = new Outcome(i, p.id(), Result.UNCHANGED, 0, null);
            } else {
                changed.add(p);
                changedIndex.add(i);
            }
        }
        if (!changed.isEmpty()) {
            List<IngestedDocument> written = embedded(tenant, changed, clock.instant(), null);
            store.replaceAll(tenant, written);
            cache.invalidate(tenant, Set.of(CacheRegion.SEARCH), List.of(), "documents ingested");
            for (int k = 0; k < written.size(); k++) {
                int i = changedIndex.get(k);
                Document d = written.get(k).document();
                Result result = stored.containsKey(d.id()) ? Result.REPLACED : Result.CREATED;
                outcomes[i] = new Outcome(i, d.id(), result, d.chunkCount(), null);
                logIngested(d);
            }
        }
        BatchIngestResult result = new BatchIngestResult(List.of(outcomes));
        LogFields.of(
                        "tenant",
                        tenant,
                        "documents",
                        requests.size(),
                        "written",
                        changed.size(),
                        "unchanged",
                        result.count(Result.UNCHANGED),
                        "rejected",
                        result.count(Result.REJECTED))
                .info(LOG, "document batch ingested");
        return result;
    }

    @Override
    public Document get(String tenant, String id) {
        String checkedTenant = KnowledgeTenants.checked(tenant);
        Document document = store.find(checkedTenant, id(id))
                .orElseThrow(() -> KnowledgeRefusal.notFound("document-not-found", "No document " + id + "."));
        LogFields.of("tenant", checkedTenant, "documentId", id).info(LOG, "document read");
        return document;
    }

    @Override
    public void delete(String tenant, String id) {
        String checkedTenant = KnowledgeTenants.checked(tenant);
        if (!store.delete(checkedTenant, id(id))) {
            throw KnowledgeRefusal.notFound("document-not-found", "No document " + id + ".");
        }
        cache.invalidate(checkedTenant, Set.of(CacheRegion.SEARCH), List.of(), "document deleted");
        LogFields.of("tenant", checkedTenant, "documentId", id).info(LOG, "document deleted");
    }

    /**
     * The documents with their chunks embedded: every chunk text of every document, in order, through the embedder
     * in calls of at most {@code embedBatchSize} texts (a call may span documents); given up (a
     * {@link CancellationException}) when {@code abandon} is not null and completes first.
     */
    private List<IngestedDocument> embedded(
            String tenant, List<PreparedDocument> documents, Instant now, CompletableFuture<Void> abandon) {
        List<String> texts = new ArrayList<>();
        documents.forEach(d -> texts.addAll(d.pieces()));
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += limits.embedBatchSize()) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + limits.embedBatchSize()));
            List<float[]> answer =
                    abandon == null ? embeddings.embed(tenant, batch) : embeddings.embed(tenant, batch, abandon);
            if (answer.size() != batch.size()) {
                throw new IllegalStateException(
                        "embedding backend returned " + answer.size() + " vectors for " + batch.size() + " texts");
            }
            vectors.addAll(answer);
        }
        List<IngestedDocument> out = new ArrayList<>(documents.size());
        int next = 0;
        for (PreparedDocument d : documents) {
            List<DocumentChunk> chunks = new ArrayList<>(d.pieces().size());
            for (int i = 0; i < d.pieces().size(); i++) {
                chunks.add(new DocumentChunk(i, d.pieces().get(i), vectors.get(next++)));
            }
            Document document = new Document(
                    tenant,
                    d.id(),
                    d.title(),
                    d.contentType(),
                    d.metadata(),
                    chunks.size(),
                    d.text().length(),
                    now);
            out.add(new IngestedDocument(document, chunks, d.contentHash()));
        }
        return out;
    }

    private List<IngestDocumentCommand> checkedBatch(List<IngestDocumentCommand> documents) {
        if (documents == null || documents.isEmpty()) {
            throw KnowledgeRefusal.invalid(
                    "documents", "documents must hold 1 to " + batchLimits.maxDocuments() + " documents");
        }
        if (documents.size() > batchLimits.maxDocuments()) {
            throw batchTooLarge(
                    documents.size() + " documents, more than " + batchLimits.maxDocuments() + " in one batch");
        }
        long bytes = 0;
        for (IngestDocumentCommand d : documents) {
            bytes += d == null || d.text() == null ? 0 : Inputs.utf8Length(d.text());
        }
        if (bytes > batchLimits.maxBytes()) {
            throw batchTooLarge("the batch's texts hold " + bytes + " bytes, more than " + batchLimits.maxBytes());
        }
        return documents;
    }

    private static KnowledgeRefusal prefixed(String prefix, KnowledgeRefusal r) {
        String field = r.field() == null ? prefix : prefix + "." + r.field();
        return new KnowledgeRefusal(r.reason(), r.slug(), r.title(), r.detail(), field, r.extensions());
    }

    private static KnowledgeRefusal batchTooLarge(String detail) {
        return new KnowledgeRefusal(
                KnowledgeRefusal.Reason.TOO_LARGE, "batch-too-large", "Payload too large", detail, "documents", null);
    }

    private static void logIngested(Document d) {
        LogFields.of("tenant", d.tenant(), "documentId", d.id(), "chunks", d.chunkCount(), "characters", d.characters())
                .info(LOG, "document ingested");
    }

    private String id(String id) {
        return Inputs.text("id", id, limits.maxIdLength(), false);
    }
}
