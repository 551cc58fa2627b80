package dev.devloop.knowledge.domain;

import java.time.Instant;
import java.util.Map;

/**
 * An ingested document of one tenant. {@code metadata} holds scalar values only (string, number,
 * boolean), so each entry can be copied onto the chunks and used as a search filter.
 */
public record Document(
        String tenant,
        String id,
        String title,
        String contentType,
        Map<String, Object> metadata,
        int chunkCount,
        long characters,
        Instant updatedAt) {}
