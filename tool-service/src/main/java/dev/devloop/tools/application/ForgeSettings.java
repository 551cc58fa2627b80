package dev.devloop.tools.application;

import java.util.Map;
import java.util.Set;

/**
 * The forge tools' configuration: {@code defaultBranches} maps each configured repository (a git remote's name) to
 * the base of its pull requests; {@code kinds} the forge serving it ({@code local} unless configured);
 * {@code withChecks} the repositories whose local forge runs a check command.
 */
public record ForgeSettings(
        Map<String, String> defaultBranches,
        Map<String, String> kinds,
        Set<String> withChecks,
        int maxChecks,
        long pollMs,
        int maxBodyBytes,
        int maxTitleChars,
        int maxLabels) {
    public static final String DEFAULT_KIND = "local";

    public ForgeSettings {
        defaultBranches = Map.copyOf(defaultBranches);
        kinds = Map.copyOf(kinds);
        withChecks = Set.copyOf(withChecks);
    }

    public String kindOf(String repository) {
        return kinds.getOrDefault(repository, DEFAULT_KIND);
    }
}
