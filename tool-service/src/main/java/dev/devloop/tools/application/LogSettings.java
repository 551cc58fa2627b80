package dev.devloop.tools.application;

import java.util.Set;

/** What read_logs may read: the allow-listed services and the bounds of one read. */
public record LogSettings(
        Set<String> services, int defaultLines, int maxScanBytes, int maxLineChars, long regexBudgetMs) {
    public LogSettings {
        services = Set.copyOf(services);
    }
}
