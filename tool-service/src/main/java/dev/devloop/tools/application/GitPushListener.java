package dev.devloop.tools.application;

import java.util.List;
import java.util.Optional;

/**
 * Told by {@code git_push} after the remote accepted a push, so the forge serving the repository can react (the
 * local forge publishes the push, synchronizes the branch's pull request and starts its checks). Returns a line
 * for the tool's answer, if any.
 */
public interface GitPushListener {
    Optional<String> pushed(
            String tenant, String repository, String branch, String before, String after, List<String> commits);

    GitPushListener NONE = (tenant, repository, branch, before, after, commits) -> Optional.empty();
}
