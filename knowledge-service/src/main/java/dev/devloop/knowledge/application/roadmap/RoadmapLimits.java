package dev.devloop.knowledge.application.roadmap;

/** Bounds of the roadmap graph; all come from configuration ({@code devloop.knowledge.roadmap.*}). */
public record RoadmapLimits(
        int defaultListLimit,
        int maxListLimit,
        int maxChildren,
        int maxDependencies,
        int maxTreeNodes,
        int maxViewNodes,
        int defaultReadyLimit,
        int maxReadyLimit,
        int maxImportNodes,
        int maxImportEdges,
        int maxCascade,
        int maxDependencyDepth,
        int maxMetadataBytes,
        int maxLinkItems) {

    /** The bounds docs/roadmap.md states, with the service's defaults for the rest. */
    public static RoadmapLimits defaults() {
        return new RoadmapLimits(
                100, 1000, 500, 500, 2000, 50_000, 100, 1000, 20_000, 200_000, 20_000, 10_000, 16_384, 500);
    }
}
