package dev.devloop.knowledge.application;

/** Bounds applied to entity graph requests; all come from configuration. */
public record GraphLimits(
        int maxIdLength,
        int maxPropertiesBytes,
        int defaultListLimit,
        int maxListLimit,
        int maxRelations,
        int maxDepth,
        int maxNeighbourhoodEntities,
        int maxQueryLength,
        int defaultSimilarLimit,
        int maxSimilarLimit,
        int maxPropertyFilters,
        int maxFilterValues) {

    /** Bounds with the default property filter bounds (16 filters, 100 values per {@code in}). */
    public GraphLimits(
            int maxIdLength,
            int maxPropertiesBytes,
            int defaultListLimit,
            int maxListLimit,
            int maxRelations,
            int maxDepth,
            int maxNeighbourhoodEntities,
            int maxQueryLength,
            int defaultSimilarLimit,
            int maxSimilarLimit) {
        this(
                maxIdLength,
                maxPropertiesBytes,
                defaultListLimit,
                maxListLimit,
                maxRelations,
                maxDepth,
                maxNeighbourhoodEntities,
                maxQueryLength,
                defaultSimilarLimit,
                maxSimilarLimit,
                16,
                100);
    }

    /** Bounds without entity similarity settings (those take the search defaults: 1000 characters, 5, 50). */
    public GraphLimits(
            int maxIdLength,
            int maxPropertiesBytes,
            int defaultListLimit,
            int maxListLimit,
            int maxRelations,
            int maxDepth,
            int maxNeighbourhoodEntities) {
        this(
                maxIdLength,
                maxPropertiesBytes,
                defaultListLimit,
                maxListLimit,
                maxRelations,
                maxDepth,
                maxNeighbourhoodEntities,
                1000,
                5,
                50);
    }
}
