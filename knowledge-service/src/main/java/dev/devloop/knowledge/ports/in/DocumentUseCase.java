package dev.devloop.knowledge.ports.in;

import dev.devloop.knowledge.domain.Document;

/** Incoming port of documents: ingest (chunk, embed, store) one or a batch, read, delete, per tenant. */
public interface DocumentUseCase {
    Document ingest(IngestDocumentCommand command);

    /**
     * Ingests a batch in one store transaction: each valid document is created, replaced or left unchanged (same
     * content as stored); an invalid one is rejected without stopping the others. Refuses the whole batch when it is
     * empty or above its bounds (count, total text bytes, total chunks).
     */
    BatchIngestResult ingestBatch(IngestBatchCommand command);

    Document get(String tenant, String id);

    void delete(String tenant, String id);
}
