package dev.devloop.knowledge.domain;

import java.util.Map;

/**
 * One search result: the fused {@code score} and the per-index scores that went into it (null when the
 * chunk was not returned by that index).
 */
public record SearchHit(
        String documentId,
        int chunkIndex,
        String text,
        double score,
        Double vectorScore,
        Double keywordScore,
        String title,
        Map<String, Object> metadata) {}
