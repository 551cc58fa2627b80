package dev.devloop.tools.domain;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One log line of a Devloop service, read from Quarkus' JSON console format (production; parsed by the
 * application's {@code LogLines}, which hands the fields to {@link #of}) or its default text format
 * ({@code 2026-01-01 10:00:00,123 INFO  [logger] (thread) message}). A line with no level of its own (a stack-trace
 * frame) inherits the level of the line before it.
 */
public record LogLine(String timestamp, String level, String logger, String message) {
    private static final Pattern TEXT = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2}[ T]\\S+)\\s+(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE)\\s+(?:\\[([^\\]]*)\\])?\\s*(?:\\([^)]*\\)\\s)?(.*)$");

    /** Severity order of the levels a filter may name. */
    public static int rank(String level) {
        if (level == null) {
            return -1;
        }
        return switch (level.toUpperCase(Locale.ROOT)) {
            case "TRACE", "FINEST", "FINER" -> 0;
            case "DEBUG", "FINE", "CONFIG" -> 1;
            case "INFO" -> 2;
            case "WARN", "WARNING" -> 3;
            case "ERROR", "SEVERE", "FATAL" -> 4;
            default -> -1;
        };
    }

    /** A line from its structured fields; the level is normalised (WARNING → WARN, SEVERE → ERROR, ...). */
    public static LogLine of(String timestamp, String level, String logger, String message) {
        return new LogLine(timestamp, normalise(level), logger, message);
    }

    /** Parses a text-format line; {@code previousLevel} is used for a continuation line. */
    public static LogLine parseText(String raw, String previousLevel) {
        Matcher m = TEXT.matcher(raw);
        if (m.matches()) {
            return new LogLine(m.group(1), normalise(m.group(2)), m.group(3), m.group(4));
        }
        return new LogLine(null, previousLevel, null, raw);
    }

    private static String normalise(String level) {
        if (level == null) {
            return null;
        }
        return switch (level.toUpperCase(Locale.ROOT)) {
            case "WARNING" -> "WARN";
            case "SEVERE", "FATAL" -> "ERROR";
            case "FINE", "CONFIG" -> "DEBUG";
            case "FINER", "FINEST" -> "TRACE";
            default -> level.toUpperCase(Locale.ROOT);
        };
    }
}
