package dev.devloop.knowledge.domain.roadmap;

import java.util.List;

/**
 * The chain of non-cancelled tasks of a milestone, linked by dependencies, with the largest sum of weights:
 * {@code path} runs from the first task to do to the last, {@code length} is its weight sum and
 * {@code remaining} the weight sum of its tasks not done yet.
 */
public record CriticalPath(String milestone, double length, double remaining, List<PlanItem> path) {
    public CriticalPath {
        path = List.copyOf(path);
    }
}
