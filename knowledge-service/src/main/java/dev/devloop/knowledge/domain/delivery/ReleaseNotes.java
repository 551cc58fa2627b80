package dev.devloop.knowledge.domain.delivery;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders done features as a Keep a Changelog (keepachangelog.com 1.1.0) entry: {@code ## [<title>] - <date>}
 * (the UTC date of the latest {@code metadata.mergedAt}; no date when no feature carries one), then
 * {@code ### Added} / {@code ### Changed} / {@code ### Fixed} by {@code metadata.changeType} (default Added), one
 * bullet per feature with its pull request link, bullets by name then id.
 */
public final class ReleaseNotes {
    private static final List<String> SECTIONS = List.of("Added", "Changed", "Fixed");

    private ReleaseNotes() {}

    public static String render(String title, List<ReleaseEntry> entries) {
        Map<String, List<ReleaseEntry>> bySection = new LinkedHashMap<>();
        SECTIONS.forEach(s -> bySection.put(s, new ArrayList<>()));
        entries.forEach(e -> bySection.get(section(e)).add(e));
        StringBuilder out = new StringBuilder("## [").append(escape(title)).append(']');
        latestMerge(entries).ifPresent(d -> out.append(" - ").append(d));
        out.append('\n');
        bySection.forEach((section, list) -> {
            if (list.isEmpty()) {
                return;
            }
            out.append("\n### ").append(section).append("\n\n");
            list.stream()
                    .sorted(Comparator.comparing(ReleaseEntry::name).thenComparing(ReleaseEntry::id))
                    .forEach(e -> out.append(bullet(e)).append('\n'));
        });
        return out.toString();
    }

    static String section(ReleaseEntry e) {
        if (e.metadata().get("changeType") instanceof String type) {
            String wanted = type.trim().toLowerCase(Locale.ROOT);
            for (String s : SECTIONS) {
                if (s.toLowerCase(Locale.ROOT).equals(wanted)) {
                    return s;
                }
            }
        }
        return "Added";
    }

    static Optional<LocalDate> latestMerge(List<ReleaseEntry> entries) {
        return entries.stream()
                .map(ReleaseNotes::mergedAt)
                .flatMap(Optional::stream)
                .max(Comparator.naturalOrder())
                .map(i -> LocalDate.ofInstant(i, ZoneOffset.UTC));
    }

    private static Optional<Instant> mergedAt(ReleaseEntry e) {
        if (!(e.metadata().get("mergedAt") instanceof String at)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(at));
        } catch (DateTimeParseException ex) {
            return Optional.empty();
        }
    }

    private static String bullet(ReleaseEntry e) {
        String line = "- " + escape(e.name());
        var pr = e.pullRequest();
        if (pr == null || pr.url() == null) {
            return line;
        }
        String label = pr.number() == null ? "pull request" : "#" + pr.number();
        return line + " ([" + label + "](" + pr.url().replace(" ", "%20").replace(")", "%29") + "))";
    }

    /** Escapes what would turn a name into Markdown structure (links, emphasis, code, HTML). */
    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if ("\\`*_[]<>".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString();
    }
}
