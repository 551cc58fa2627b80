package dev.devloop.knowledge.domain.delivery;

import dev.devloop.knowledge.domain.roadmap.RoadmapLinks;
import dev.devloop.knowledge.domain.roadmap.RoadmapNode;
import dev.devloop.knowledge.domain.roadmap.RoadmapRules;
import dev.devloop.knowledge.domain.roadmap.RoadmapStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Applies a {@link FeatureChange} to a feature node (docs/delivery.md); times and version are the caller's. */
public final class FeatureDelivery {
    private FeatureDelivery() {}

    /**
     * The feature with the change applied. {@code dependencies} are the statuses of what the feature depends on
     * (a move to {@code in_review} waits for them); {@code maxCommits} bounds {@code links.commits}, keeping the
     * newest.
     */
    public static RoadmapNode apply(
            RoadmapNode feature, FeatureChange change, Map<String, RoadmapStatus> dependencies, int maxCommits) {
        RoadmapLinks l = feature.links();
        List<String> commits = RoadmapLinks.appendDistinct(l.commits(), change.commits());
        if (commits.size() > maxCommits) {
            commits = commits.subList(commits.size() - maxCommits, commits.size());
        }
        RoadmapLinks links = new RoadmapLinks(
                change.branch() == null ? l.branch() : change.branch(),
                change.pullRequest() == null ? l.pullRequest() : change.pullRequest(),
                commits,
                change.checks() == null ? l.checks() : change.checks(),
                l.runs());
        Map<String, Object> metadata = new LinkedHashMap<>(feature.metadata());
        if (change.delivery() != null) {
            metadata.put("delivery", change.delivery());
        }
        if (change.issue() != null) {
            metadata.put("issue", change.issue());
        }
        if (change.mergedAt() != null) {
            metadata.put("mergedAt", change.mergedAt());
        }
        return new RoadmapNode(
                feature.tenant(),
                feature.id(),
                feature.level(),
                feature.parentId(),
                feature.name(),
                feature.description(),
                status(feature, change.status(), dependencies),
                feature.owner(),
                feature.estimate(),
                metadata,
                links,
                feature.createdAt(),
                feature.updatedAt(),
                feature.version());
    }

    static RoadmapStatus status(
            RoadmapNode feature, FeatureChange.StatusMove move, Map<String, RoadmapStatus> dependencies) {
        RoadmapStatus current = feature.status();
        return switch (move) {
            case NONE -> current;
            case REVIEW ->
                current.canMoveTo(RoadmapStatus.IN_REVIEW)
                                && RoadmapRules.blockingDependencies(
                                                feature.level(), RoadmapStatus.IN_REVIEW, dependencies)
                                        .isEmpty()
                        ? RoadmapStatus.IN_REVIEW
                        : current;
            // the merge happened on the forge: the graph follows it whatever the transition table says
            case MERGED -> RoadmapStatus.DONE;
            case REVIEW_CLOSED -> current == RoadmapStatus.IN_REVIEW ? RoadmapStatus.IN_PROGRESS : current;
        };
    }

    /** True when a task under a merged feature is still open (neither done nor cancelled). */
    public static boolean openTask(RoadmapStatus status) {
        return status != RoadmapStatus.DONE && status != RoadmapStatus.CANCELLED;
    }
}
