package dev.devloop.knowledge.ports.in;

import dev.devloop.knowledge.domain.Document;

/** Incoming port of documents: ingest (chunk, embed, store), read, delete, per tenant. */
public interface DocumentUseCase {
    Document ingest(IngestDocumentCommand command);

    Document get(String tenant, String id);

    void delete(String tenant, String id);
}
