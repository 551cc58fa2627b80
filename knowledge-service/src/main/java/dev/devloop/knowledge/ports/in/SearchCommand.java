package dev.devloop.knowledge.ports.in;

import java.util.Map;

/**
 * A search request as received; null fields take the configured defaults. {@code mode} is
 * {@code vector|keyword|hybrid}, {@code fusion} {@code weighted|rrf}.
 */
public record SearchCommand(
        String tenant,
        String query,
        String mode,
        Integer limit,
        Map<String, Object> filters,
        Double vectorWeight,
        Double keywordWeight,
        String fusion) {}
