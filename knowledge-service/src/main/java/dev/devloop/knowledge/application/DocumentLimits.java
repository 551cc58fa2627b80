package dev.devloop.knowledge.application;

/** Bounds on documents: sizes in characters or bytes, counts of metadata entries and chunks. */
public record DocumentLimits(
        int chunkSize,
        int chunkOverlap,
        int maxDocumentBytes,
        int maxChunks,
        int maxIdLength,
        int maxTitleLength,
        int maxMetadataEntries,
        int maxMetadataValueLength,
        int embedBatchSize) {}
