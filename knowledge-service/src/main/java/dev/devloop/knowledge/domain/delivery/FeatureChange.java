package dev.devloop.knowledge.domain.delivery;

import dev.devloop.knowledge.domain.roadmap.RoadmapLinks;
import java.util.List;
import java.util.Map;

/**
 * What one forge event changes on a feature (docs/delivery.md): every part is optional (null or empty when the
 * event does not touch it).
 *
 * @param pullRequest replaces {@code links.pullRequest}
 * @param status how the feature's status moves
 * @param checks replaces {@code links.checks}
 * @param delivery {@code metadata.delivery} ({@code build_failed} / {@code ready_for_review})
 * @param branch {@code links.branch}
 * @param commits appended to {@code links.commits}
 * @param issue {@code metadata.issue} ({@code {number, url, state, labels}})
 * @param mergedAt {@code metadata.mergedAt}, the merge instant as GitHub sent it (the release notes' date)
 */
public record FeatureChange(
        String featureId,
        String event,
        String action,
        RoadmapLinks.PullRequest pullRequest,
        StatusMove status,
        RoadmapLinks.Checks checks,
        String delivery,
        String branch,
        List<String> commits,
        Map<String, Object> issue,
        String mergedAt) {

    public FeatureChange {
        status = status == null ? StatusMove.NONE : status;
        commits = commits == null ? List.of() : List.copyOf(commits);
        issue = issue == null ? null : Map.copyOf(issue);
    }

    /** How a forge event moves the feature's status. */
    public enum StatusMove {
        NONE,
        /** To {@code in_review} when the transition (and the dependencies) allow it. */
        REVIEW,
        /** To {@code done} from any not-done status, with the feature's open tasks. */
        MERGED,
        /** Back to {@code in_progress} when it was {@code in_review}. */
        REVIEW_CLOSED
    }
}
