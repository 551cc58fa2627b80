package dev.devloop.knowledge.ports.in;

import java.util.List;

/**
 * Ingest several documents of one tenant at once; each element as a single ingest (its own {@code tenant} is ignored,
 * the batch's applies). Elements may be null (such an element is rejected, the others are not).
 */
public record IngestBatchCommand(String tenant, List<IngestDocumentCommand> documents) {}
