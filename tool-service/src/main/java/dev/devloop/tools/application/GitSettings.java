package dev.devloop.tools.application;

import java.util.Map;

/**
 * Bounds and remotes of the git tools, from configuration: {@code defaultBranches} maps each configured remote
 * (the repository names agents may use) to the branch features start from.
 */
public record GitSettings(
        Map<String, String> defaultBranches,
        String authorEmail,
        int maxPathChars,
        int maxFileBytes,
        int maxDiffBytes,
        int maxDiffFiles,
        int maxCommitFiles,
        int maxMessageChars,
        int maxPushCommits,
        int maxScanBytes) {
    public GitSettings {
        defaultBranches = Map.copyOf(defaultBranches);
    }
}
