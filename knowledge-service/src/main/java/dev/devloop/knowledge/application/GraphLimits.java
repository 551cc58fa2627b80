package dev.devloop.knowledge.application;

/** Bounds applied to entity graph requests; all come from configuration. */
public record GraphLimits(int maxIdLength, int maxPropertiesBytes, int defaultListLimit, int maxListLimit,
    int maxRelations, int maxDepth, int maxNeighbourhoodEntities) {}
