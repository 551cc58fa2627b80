package dev.devloop.gateway.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The parameters of a usage query as provider-gateway understands them ({@code GET /v1/usage}): {@code from}
 * and {@code to} an ISO date (whole UTC day; {@code to} inclusive) or an ISO instant with offset, {@code to}
 * not before {@code from}, at most {@link #MAX_RANGE}; {@code groupBy} one of {@link #GROUP_BY}. Checked at the
 * gateway so a bad query never leaves it; the values travel on as the client wrote them.
 */
public final class UsageRange {
    public static final Duration MAX_RANGE = Duration.ofDays(366);
    public static final Set<String> GROUP_BY = Set.of("model", "provider", "agent", "day");
    private static final int MAX_LENGTH = 64;

    /** A parameter that breaks the rules: its name and why. */
    public record Violation(String field, String message) {}

    private UsageRange() {}

    /** The first rule {@code from}, {@code to} and {@code groupBy} (each may be null: provider-gateway's default) break. */
    public static Optional<Violation> check(String from, String to, String groupBy) {
        if (groupBy != null && !GROUP_BY.contains(groupBy.trim().toLowerCase(Locale.ROOT))) {
            return Optional.of(new Violation("groupBy", "groupBy must be one of model, provider, agent, day"));
        }
        Instant start = null;
        Instant end = null;
        if (from != null) {
            start = parse(from, false);
            if (start == null) {
                return Optional.of(new Violation(
                        "from", "from must be an ISO date (2026-11-01) or instant (2026-11-01T10:00:00Z)"));
            }
        }
        if (to != null) {
            end = parse(to, true);
            if (end == null) {
                return Optional.of(
                        new Violation("to", "to must be an ISO date (2026-11-30) or instant (2026-11-30T18:00:00Z)"));
            }
        }
        if (start != null && end != null) {
            if (!end.isAfter(start)) {
                return Optional.of(new Violation("to", "to must not be before from"));
            }
            if (Duration.between(start, end).compareTo(MAX_RANGE.plusMillis(1)) > 0) {
                return Optional.of(new Violation("to", "the range must be at most " + MAX_RANGE.toDays() + " days"));
            }
        }
        return Optional.empty();
    }

    /** The instant a bound stands for ({@code to}: just after the day or instant it names), or null when malformed. */
    private static Instant parse(String raw, boolean upper) {
        String s = raw.trim();
        if (s.isEmpty() || s.length() > MAX_LENGTH) {
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(s);
            if (day.getYear() < 1970 || day.getYear() > 9999) {
                return null;
            }
            return (upper ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notADate) {
            try {
                Instant instant = OffsetDateTime.parse(s).toInstant();
                return upper ? instant.plusMillis(1) : instant;
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
