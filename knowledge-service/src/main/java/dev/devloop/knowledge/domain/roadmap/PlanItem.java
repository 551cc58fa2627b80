package dev.devloop.knowledge.domain.roadmap;

import java.util.List;

/**
 * The minimal projection of a feature or task the pure graph functions work on: id, name, status, estimate and
 * the ids it depends on.
 */
public record PlanItem(String id, String name, RoadmapStatus status, Double estimate, List<String> dependsOn) {
    public PlanItem {
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }

    public double weight() {
        return Rollup.weight(estimate);
    }
}
