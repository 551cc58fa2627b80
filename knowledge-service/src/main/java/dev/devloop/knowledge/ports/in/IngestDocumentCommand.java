package dev.devloop.knowledge.ports.in;

import java.util.Map;

/** Ingest (or replace) a document; {@code id} null means a new generated id. */
public record IngestDocumentCommand(
        String tenant, String id, String title, String text, String contentType, Map<String, Object> metadata) {}
