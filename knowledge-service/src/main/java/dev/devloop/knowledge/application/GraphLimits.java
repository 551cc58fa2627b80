package dev.devloop.knowledge.application;

/** Bounds applied to entity graph requests; all come from configuration. */
public record GraphLimits(int maxIdLength, int maxPropertiesBytes, int defaultListLimit, int maxListLimit,
    int maxRelations, int maxDepth, int maxNeighbourhoodEntities, int maxQueryLength, int defaultSimilarLimit,
    int maxSimilarLimit) {

  /** Bounds without entity similarity settings (those take the search defaults: 1000 characters, 5, 50). */
  public GraphLimits(int maxIdLength, int maxPropertiesBytes, int defaultListLimit, int maxListLimit,
      int maxRelations, int maxDepth, int maxNeighbourhoodEntities) {
    this(maxIdLength, maxPropertiesBytes, defaultListLimit, maxListLimit, maxRelations, maxDepth,
        maxNeighbourhoodEntities, 1000, 5, 50);
  }
}
