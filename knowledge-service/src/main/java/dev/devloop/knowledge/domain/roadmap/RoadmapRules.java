package dev.devloop.knowledge.domain.roadmap;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The rules of docs/roadmap.md on ids, fields, nesting and dependencies, as pure functions. */
public final class RoadmapRules {
    /** Node ids: unique per tenant, URL- and key-safe. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public static final int MAX_NAME = 200;
    public static final int MAX_DESCRIPTION = 8000;
    public static final int MAX_OWNER = 256;
    public static final double MAX_ESTIMATE = 10_000;

    private RoadmapRules() {}

    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static boolean validEstimate(double estimate) {
        return Double.isFinite(estimate) && estimate >= 0 && estimate <= MAX_ESTIMATE;
    }

    /**
     * Why a node of {@code level} cannot sit under a parent of {@code parentLevel} (null: no parent); empty when it
     * can. A milestone has no parent; every other level's parent is exactly one level up.
     */
    public static Optional<String> nestingProblem(RoadmapLevel level, RoadmapLevel parentLevel) {
        Optional<RoadmapLevel> wanted = level.parentLevel();
        if (wanted.isEmpty()) {
            return parentLevel == null ? Optional.empty() : Optional.of("a milestone has no parent");
        }
        if (parentLevel == null) {
            return Optional.of("a " + level.wireName() + " needs a parent (a "
                    + wanted.get().wireName() + ")");
        }
        return parentLevel == wanted.get()
                ? Optional.empty()
                : Optional.of("the parent of a " + level.wireName() + " must be a "
                        + wanted.get().wireName() + ", not a " + parentLevel.wireName());
    }

    /** Why a node of {@code from} cannot depend on one of {@code to}; empty when it can (two features, two tasks). */
    public static Optional<String> dependencyProblem(RoadmapLevel from, RoadmapLevel to) {
        return from.schedulable() && from == to
                ? Optional.empty()
                : Optional.of("dependencies join two features or two tasks, not a " + from.wireName() + " and a "
                        + to.wireName());
    }

    /**
     * The dependencies (id → status) that keep a node of {@code level} from entering {@code to}, by id: a feature
     * or task cannot move to in_progress, in_review or done while one of them is not done.
     */
    public static List<String> blockingDependencies(
            RoadmapLevel level, RoadmapStatus to, Map<String, RoadmapStatus> dependencies) {
        if (!level.schedulable() || !to.needsDependenciesDone()) {
            return List.of();
        }
        return new TreeMap<>(dependencies)
                .entrySet().stream()
                        .filter(e -> e.getValue() != RoadmapStatus.DONE)
                        .map(Map.Entry::getKey)
                        .toList();
    }
}
