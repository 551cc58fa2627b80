package dev.devloop.knowledge.domain.roadmap;

import java.util.Collection;

/** Progress roll-up over tasks: cancelled ones are left out, each other one weighs its estimate (or 1). */
public final class Rollup {
    private Rollup() {}

    /** {@code estimate > 0 ? estimate : 1}. */
    public static double weight(Double estimate) {
        return estimate != null && estimate > 0 ? estimate : 1.0;
    }

    /** The roll-up of these tasks (all of them under one node). */
    public static Progress of(Collection<PlanItem> tasks) {
        long count = 0;
        long done = 0;
        double total = 0;
        double doneWeight = 0;
        for (PlanItem task : tasks) {
            if (task.status() == RoadmapStatus.CANCELLED) {
                continue;
            }
            count++;
            total += task.weight();
            if (task.status() == RoadmapStatus.DONE) {
                done++;
                doneWeight += task.weight();
            }
        }
        return Progress.of(count, done, total, doneWeight);
    }
}
