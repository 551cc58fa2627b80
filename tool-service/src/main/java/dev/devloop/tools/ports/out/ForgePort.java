package dev.devloop.tools.ports.out;

import java.util.List;
import java.util.Optional;

/**
 * Outgoing port to a forge: pull requests, reviews, merges, issues and checks of one configured repository
 * (docs/delivery.md, "The forge port"). Two adapters implement it: GitHub (REST v3) and the local forge (bare
 * repositories on disk). {@code repository} is the configured name an agent uses (the same name as the git
 * remote), never a URL; {@code tenant} scopes every record. Ordinary refusals (unknown number, merge conflict,
 * validation, rate limit) are {@link ForgeException}s whose message is safe to show to a model.
 */
public interface ForgePort {
    /** {@code state} is {@code open}, {@code closed} or {@code merged}. */
    record PullRequest(
            int number,
            String url,
            String state,
            String title,
            String body,
            String head,
            String base,
            String headSha,
            Optional<String> mergeCommitSha) {}

    record NewPullRequest(String title, String body, String head, String base, boolean draft) {}

    /** {@code state} is {@code APPROVED}, {@code CHANGES_REQUESTED} or {@code COMMENTED}. */
    record Review(long id, String state, String body, String author) {}

    /** {@code method} of a merge is {@code merge}, {@code squash} or {@code rebase}. */
    record Merged(boolean merged, String sha, String message) {}

    /** {@code state} is {@code open} or {@code closed}. */
    record Issue(int number, String url, String state, String title, List<String> labels) {}

    /**
     * A check run or an Actions workflow run on a commit. {@code status}: {@code queued}, {@code in_progress},
     * {@code completed}; {@code conclusion} (when completed): {@code success}, {@code failure}, {@code timed_out},
     * {@code cancelled}, {@code neutral}, {@code skipped}, {@code action_required}.
     */
    record Check(
            String id,
            String name,
            String kind,
            String status,
            Optional<String> conclusion,
            String url,
            String summary,
            String headSha) {}

    /** The tail of a check's output, at most the asked bytes; {@code truncated} when the head was cut. */
    record CheckLog(String id, String text, boolean truncated) {}

    /** What kind of forge serves the repository: {@code github} or {@code local}. */
    String kind();

    PullRequest openPullRequest(String tenant, String repository, NewPullRequest request);

    PullRequest pullRequest(String tenant, String repository, int number);

    /** The open pull request whose head is {@code branch}, if any. */
    Optional<PullRequest> openPullRequestFor(String tenant, String repository, String branch);

    List<Review> reviews(String tenant, String repository, int number);

    /** {@code event}: {@code APPROVE}, {@code REQUEST_CHANGES} or {@code COMMENT}. */
    Review review(String tenant, String repository, int number, String event, String body);

    /** Merges when the head is still {@code expectedHeadSha} (when given); a conflict is a {@link ForgeException}. */
    Merged merge(String tenant, String repository, int number, String method, Optional<String> expectedHeadSha);

    Issue createIssue(String tenant, String repository, String title, String body, List<String> labels);

    Issue addLabels(String tenant, String repository, int number, List<String> labels);

    Issue closeIssue(String tenant, String repository, int number);

    /** Check runs and workflow runs of {@code ref} (a branch or a commit id), newest first, at most {@code limit}. */
    List<Check> checks(String tenant, String repository, String ref, int limit);

    CheckLog checkLog(String tenant, String repository, String checkId, int maxBytes);

    /**
     * The git tools pushed {@code commits} (newest first) to {@code branch}, moving it from {@code before} (null when
     * the branch is new) to {@code after}. A forge that learns of pushes itself (GitHub) ignores this; the local
     * forge publishes the push, synchronizes the branch's open pull request and starts its checks.
     */
    default void branchPushed(
            String tenant, String repository, String branch, String before, String after, List<String> commits) {}

    /** A refusal by the forge, with the HTTP-like status the tool answers (404, 409, 422, 429, 502...). */
    class ForgeException extends DownstreamException {
        private final int status;
        private final Optional<Long> retryAfterSeconds;

        public ForgeException(int status, String message) {
            this(status, message, Optional.empty());
        }

        public ForgeException(int status, String message, Optional<Long> retryAfterSeconds) {
            super(message);
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int status() {
            return status;
        }

        public Optional<Long> retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
