package dev.devloop.knowledge.ports.out;

import dev.devloop.knowledge.domain.Document;
import dev.devloop.knowledge.domain.DocumentChunk;
import dev.devloop.knowledge.domain.ScoredChunk;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Outgoing port of the document and chunk store with its vector and full-text indexes. Every call is
 * scoped to one tenant; {@code filters} match chunk metadata entries exactly (all must match).
 * Throws {@link TierUnavailableException} when the store is down.
 */
public interface DocumentStorePort {
    /** Stores the document and its chunks, replacing any earlier version with the same id. */
    void replace(Document document, List<DocumentChunk> chunks);

    Optional<Document> find(String tenant, String id);

    /** Deletes the document and its chunks; false when there was none. */
    boolean delete(String tenant, String id);

    /** Chunks nearest to {@code vector}, best first, at most {@code limit}; scores in [0, 1]. */
    List<ScoredChunk> nearest(String tenant, float[] vector, int limit, Map<String, Object> filters);

    /** Chunks matching the words of {@code query} (plain text, not a query language), best first. */
    List<ScoredChunk> keyword(String tenant, String query, int limit, Map<String, Object> filters);
}
