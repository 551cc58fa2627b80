package dev.devloop.tools.ports.out;

import dev.devloop.tools.domain.AddedLine;
import java.util.List;

/**
 * Outgoing port to git working copies, one per {@link Workspace} inside the tenant's filesystem jail. Remotes
 * are named; the adapter knows their URLs and credentials. Every operation runs under the adapter's deadline;
 * ordinary failures (unknown branch, nothing to commit, rejected push, timeout) are {@link DownstreamException}s.
 */
public interface GitPort {
    /** Whose working copy: one per (tenant, repository, feature). */
    record Workspace(String tenant, String repository, String feature) {
        /** Where it lives relative to the tenant's workspace root. */
        public String relativeDirectory() {
            return "git/" + repository + "/" + feature;
        }
    }

    /** The state of a working copy after an operation. */
    record Status(String branch, String head, boolean created) {}

    /** Workspace against HEAD: the unified diff text (cut at the bound when {@code truncated}) and the files. */
    record Diff(String text, List<String> files, boolean truncated, List<AddedLine> added) {}

    record Commit(String id, String branch, List<String> files) {}

    /** {@code status} is JGit's merge status; {@code conflicts} the conflicting files (the merge was aborted). */
    record Merge(String status, String head, List<String> conflicts) {}

    /**
     * {@code before}: the remote branch before the push (null when it is new); {@code commits}: the commits the push
     * brought to the remote, newest first (at most the push scan bound), the first being the new head.
     */
    record Push(String branch, String status, String before, List<String> commits) {}

    /** Clones the remote into the workspace, or opens (and fetches into) the existing one. */
    Status open(Workspace workspace, String remote);

    /** Checks out {@code branch}, creating it from the remote's copy of it or else from {@code base} of the remote. */
    Status checkout(Workspace workspace, String remote, String branch, String base);

    /** Stages every change (added, modified, deleted, untracked not ignored) and diffs the index against HEAD. */
    Diff diff(Workspace workspace, int maxBytes, int maxFiles);

    /** Unstages what {@link #diff} staged (the commit was refused). */
    void unstage(Workspace workspace);

    /** Commits what is staged; at most {@code maxFiles} changed files. */
    Commit commit(Workspace workspace, String message, String authorName, String authorEmail, int maxFiles);

    /** Fetches the remote and merges its {@code branch} (or the local one) into the current branch. */
    Merge merge(Workspace workspace, String remote, String branch, String authorName, String authorEmail);

    /** Lines added by the current branch's commits the remote does not have yet (at most {@code maxCommits}). */
    List<AddedLine> unpushed(Workspace workspace, String remote, int maxCommits, int maxBytes);

    /** Pushes the current branch to the same name on the remote. */
    Push push(Workspace workspace, String remote);
}
