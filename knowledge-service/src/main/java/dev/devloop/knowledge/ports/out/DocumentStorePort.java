package dev.devloop.knowledge.ports.out;

import dev.devloop.knowledge.domain.Document;
import dev.devloop.knowledge.domain.DocumentChunk;
import dev.devloop.knowledge.domain.IngestedDocument;
import dev.devloop.knowledge.domain.ScoredChunk;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Outgoing port of the document and chunk store with its vector and full-text indexes. Every call is
 * scoped to one tenant; {@code filters} match chunk metadata entries exactly (all must match).
 * Throws {@link TierUnavailableException} when the store is down.
 */
public interface DocumentStorePort {
    /** Stores the document and its chunks, replacing any earlier version with the same id (no content hash). */
    default void replace(Document document, List<DocumentChunk> chunks) {
        replaceAll(document.tenant(), List.of(new IngestedDocument(document, chunks, null)));
    }

    /**
     * Stores the tenant's documents and their chunks in one transaction, each replacing any earlier version with its id;
     * all or none are written.
     */
    void replaceAll(String tenant, List<IngestedDocument> documents);

    /** The content hash stored with each of these ids that names a document; "" for a document stored without one. */
    Map<String, String> contentHashes(String tenant, List<String> ids);

    /**
     * {@link #contentHashes} without holding the calling thread while the store answers (a single document's
     * embedding runs meanwhile); a store without a non-blocking client answers it on the calling thread (this default).
     */
    default CompletableFuture<Map<String, String>> contentHashesAsync(String tenant, List<String> ids) {
        return CompletableFuture.completedFuture(contentHashes(tenant, ids));
    }

    Optional<Document> find(String tenant, String id);

    /** Deletes the document and its chunks; false when there was none. */
    boolean delete(String tenant, String id);

    /** Chunks nearest to {@code vector}, best first, at most {@code limit}; scores in [0, 1]. */
    List<ScoredChunk> nearest(String tenant, float[] vector, int limit, Map<String, Object> filters);

    /** Chunks matching the words of {@code query} (plain text, not a query language), best first. */
    List<ScoredChunk> keyword(String tenant, String query, int limit, Map<String, Object> filters);

    /** A hybrid search's two candidate lists, each best first. */
    record HybridCandidates(List<ScoredChunk> vector, List<ScoredChunk> keyword) {}

    /**
     * True when {@link #hybrid} answers this tenant in one store round trip; then a hybrid search embeds the query
     * first and asks the store once, instead of overlapping the keyword query with the embedding. This default: false.
     */
    default boolean hybridInOne(String tenant) {
        return false;
    }

    /**
     * {@link #nearest} and {@link #keyword} with the same limit and filters, as one call (this default: the two calls,
     * one after the other).
     */
    default HybridCandidates hybrid(
            String tenant, float[] vector, String query, int limit, Map<String, Object> filters) {
        return new HybridCandidates(nearest(tenant, vector, limit, filters), keyword(tenant, query, limit, filters));
    }

    /**
     * {@link #keyword} without holding the calling thread while the store answers; a store without a non-blocking
     * client answers it on the calling thread (this default).
     */
    default CompletableFuture<List<ScoredChunk>> keywordAsync(
            String tenant, String query, int limit, Map<String, Object> filters) {
        return CompletableFuture.completedFuture(keyword(tenant, query, limit, filters));
    }

    /** A stored chunk whose vector is of another model than the running one, or of none (see {@link EmbeddingModels}). */
    record StaleChunk(String tenant, String documentId, int index, String text) {}

    /**
     * At most {@code limit} chunks whose vector is not of the running model, tenant by tenant, of {@code tenants} only
     * (empty: every tenant). A store without model ids has none (this default).
     */
    default List<StaleChunk> staleChunks(List<String> tenants, int limit) {
        return List.of();
    }

    /**
     * Stores {@code vectors} (the running model's, one per chunk, in order) on these chunks, each only if it is still
     * there with the same text and still not of the running model (a chunk deleted or replaced meanwhile is skipped, and
     * a chunk re-embedded twice is harmless). Returns how many were written.
     */
    default int reembedded(List<StaleChunk> chunks, List<float[]> vectors) {
        throw new UnsupportedOperationException("this store keeps no model ids");
    }

    /**
     * Chunk vectors not of the running model, of {@code tenants} (empty: every tenant), by the model they are of
     * ({@code "none"}: untagged).
     */
    default Map<String, Long> staleChunkCounts(List<String> tenants) {
        return Map.of();
    }
}
