package dev.devloop.knowledge.domain;

import java.util.Map;

/** A chunk returned by one index with that index's raw score, and its document's title and metadata. */
public record ScoredChunk(
        String documentId, int chunkIndex, String text, double score, String title, Map<String, Object> metadata) {

    /** The identity of the chunk within its tenant. */
    public String key() {
        return documentId + "#" + chunkIndex;
    }
}
