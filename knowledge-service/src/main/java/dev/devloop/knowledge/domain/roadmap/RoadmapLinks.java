package dev.devloop.knowledge.domain.roadmap;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What the delivery loop attached to a node: a branch, a pull request, commits, checks and runs. All parts are
 * optional; {@code commits} and {@code runs} are never null.
 */
public record RoadmapLinks(
        String branch, PullRequest pullRequest, List<String> commits, Checks checks, List<String> runs) {

    public static final RoadmapLinks EMPTY = new RoadmapLinks(null, null, List.of(), null, List.of());

    public RoadmapLinks {
        commits = commits == null ? List.of() : List.copyOf(commits);
        runs = runs == null ? List.of() : List.copyOf(runs);
    }

    /** A pull request: number, url and state (e.g. open, merged, closed). */
    public record PullRequest(Long number, String url, String state) {}

    /** The CI checks of the branch or pull request. */
    public record Checks(String status, String conclusion, String url, String summary) {}

    public boolean isEmpty() {
        return branch == null && pullRequest == null && commits.isEmpty() && checks == null && runs.isEmpty();
    }

    /** {@code base} followed by the values of {@code added} it lacks, in order. */
    public static List<String> appendDistinct(List<String> base, List<String> added) {
        LinkedHashSet<String> all = new LinkedHashSet<>(base);
        all.addAll(added);
        return new ArrayList<>(all);
    }
}
