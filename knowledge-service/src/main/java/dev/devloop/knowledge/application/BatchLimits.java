package dev.devloop.knowledge.application;

/** Bounds on one batch ingest: documents, their text in UTF-8 bytes together, and their chunks together. */
public record BatchLimits(int maxDocuments, long maxBytes, int maxChunks) {
    /** The configured defaults, for wiring without configuration (plain unit tests). */
    public static final BatchLimits DEFAULTS = new BatchLimits(100, 4L * 1024 * 1024, 4000);
}
