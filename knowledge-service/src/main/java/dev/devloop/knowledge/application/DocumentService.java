package dev.devloop.knowledge.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.knowledge.domain.CacheRegion;
import dev.devloop.knowledge.domain.Document;
import dev.devloop.knowledge.domain.DocumentChunk;
import dev.devloop.knowledge.domain.TextSplitter;
import dev.devloop.knowledge.ports.in.DocumentUseCase;
import dev.devloop.knowledge.ports.in.IngestDocumentCommand;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.out.DocumentStorePort;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Ingests documents: validate, split into overlapping chunks, embed in bounded batches, store. */
public class DocumentService implements DocumentUseCase {
    private static final Logger LOG = Logger.getLogger(DocumentService.class);

    static final Set<String> CONTENT_TYPES = Set.of("text/plain", "text/markdown");

    private final DocumentStorePort store;
    private final EmbeddingPort embeddings;
    private final DocumentLimits limits;
    private final TextSplitter splitter;
    private final Clock clock;
    private final ReadCache cache;

    public DocumentService(DocumentStorePort store, EmbeddingPort embeddings, DocumentLimits limits, Clock clock) {
        this(store, embeddings, limits, clock, ReadCache.disabled());
    }

    /** With a read cache: ingesting or deleting a document invalidates the tenant's cached search results. */
    public DocumentService(
            DocumentStorePort store, EmbeddingPort embeddings, DocumentLimits limits, Clock clock, ReadCache cache) {
        this.cache = cache;
        this.store = store;
        this.embeddings = embeddings;
        this.limits = limits;
        this.splitter = new TextSplitter(limits.chunkSize(), limits.chunkOverlap());
        this.clock = clock;
    }

    @Override
    public Document ingest(IngestDocumentCommand command) {
        String tenant = KnowledgeTenants.checked(command.tenant());
        String id = command.id() == null ? UUID.randomUUID().toString() : id(command.id());
        String title = Inputs.text("title", command.title(), limits.maxTitleLength(), false);
        String contentType = command.contentType() == null ? "text/plain" : command.contentType();
        if (!CONTENT_TYPES.contains(contentType)) {
            throw KnowledgeRefusal.invalid("contentType", "contentType must be one of " + CONTENT_TYPES);
        }
        String text = command.text();
        if (text == null || text.isBlank()) {
            throw KnowledgeRefusal.invalid("text", "text is required");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > limits.maxDocumentBytes()) {
            throw tooLarge("text is larger than " + limits.maxDocumentBytes() + " bytes");
        }
        Map<String, Object> metadata = Inputs.metadata(
                "metadata", command.metadata(), limits.maxMetadataEntries(), limits.maxMetadataValueLength());
        List<String> pieces = splitter.split(text);
        if (pieces.size() > limits.maxChunks()) {
            throw tooLarge("text splits into " + pieces.size() + " chunks, more than " + limits.maxChunks());
        }
        List<DocumentChunk> chunks = new ArrayList<>(pieces.size());
        for (int from = 0; from < pieces.size(); from += limits.embedBatchSize()) {
            List<String> batch = pieces.subList(from, Math.min(pieces.size(), from + limits.embedBatchSize()));
            List<float[]> vectors = embeddings.embed(tenant, batch);
            if (vectors.size() != batch.size()) {
                throw new IllegalStateException(
                        "embedding backend returned " + vectors.size() + " vectors for " + batch.size() + " texts");
            }
            for (int i = 0; i < batch.size(); i++) {
                chunks.add(new DocumentChunk(from + i, batch.get(i), vectors.get(i)));
            }
        }
        Document document =
                new Document(tenant, id, title, contentType, metadata, chunks.size(), text.length(), clock.instant());
        store.replace(document, chunks);
        cache.invalidate(tenant, Set.of(CacheRegion.SEARCH), List.of(), "document ingested");
        LogFields.of("tenant", tenant, "documentId", id, "chunks", chunks.size(), "characters", text.length())
                .info(LOG, "document ingested");
        return document;
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

    private String id(String id) {
        return Inputs.text("id", id, limits.maxIdLength(), false);
    }

    private static KnowledgeRefusal tooLarge(String detail) {
        return new KnowledgeRefusal(
                KnowledgeRefusal.Reason.TOO_LARGE, "document-too-large", "Payload too large", detail, "text", null);
    }
}
