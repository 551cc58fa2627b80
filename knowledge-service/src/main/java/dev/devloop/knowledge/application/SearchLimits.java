package dev.devloop.knowledge.application;

/**
 * Bounds and defaults of search: result limit, query length, how many candidates hybrid search takes
 * from each index per requested hit, and the default fusion weights.
 */
public record SearchLimits(
        int defaultLimit,
        int maxLimit,
        int maxQueryLength,
        int hybridCandidateFactor,
        int maxCandidates,
        double vectorWeight,
        double keywordWeight) {}
