package dev.devloop.knowledge.domain;

import java.util.List;

/**
 * A document ready to store: its record, its embedded chunks and the hash of what it was ingested from (title, content
 * type, metadata, text, chunking), by which a later ingest of the same content is recognised as unchanged; null when
 * unknown.
 */
public record IngestedDocument(Document document, List<DocumentChunk> chunks, String contentHash) {}
