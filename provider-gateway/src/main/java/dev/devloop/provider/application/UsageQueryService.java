package dev.devloop.provider.application;

import dev.devloop.contracts.problem.Refusal;
import dev.devloop.provider.domain.UsageReport;
import dev.devloop.provider.ports.in.UsageQueryUseCase;
import dev.devloop.provider.ports.out.UsageReportPort;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Validates a usage query (range, grouping) and sums the tenant's ledger entries. */
public final class UsageQueryService implements UsageQueryUseCase {
    /** Longest range one query may cover. */
    public static final Duration MAX_RANGE = Duration.ofDays(366);

    private final UsageReportPort ledger;
    private final Clock clock;
    private final int maxGroups;

    public UsageQueryService(UsageReportPort ledger, Clock clock, int maxGroups) {
        this.ledger = ledger;
        this.clock = clock;
        this.maxGroups = maxGroups;
    }

    /** One end of the range: the instant it stands for and how to print it back. */
    private record Bound(Instant instant, String text) {}

    @Override
    public Answer usage(String tenant, String fromParam, String toParam, String groupByParam) {
        UsageReport.GroupBy groupBy = groupByParam == null || groupByParam.isBlank()
                ? UsageReport.GroupBy.MODEL
                : UsageReport.GroupBy.of(groupByParam)
                        .orElseThrow(() -> Refusal.invalid(
                                "groupBy",
                                "groupBy must be one of model, provider, agent, day; got '" + abbreviate(groupByParam)
                                        + "'"));
        YearMonth month = YearMonth.now(clock);
        Bound from = fromParam == null || fromParam.isBlank()
                ? new Bound(
                        month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                        month.atDay(1).toString())
                : parse("from", fromParam, false);
        Bound to = toParam == null || toParam.isBlank()
                ? new Bound(
                        month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                        month.atEndOfMonth().toString())
                : parse("to", toParam, true);
        if (!to.instant().isAfter(from.instant())) {
            throw Refusal.invalid("to", "to (" + to.text() + ") is before from (" + from.text() + ")");
        }
        if (Duration.between(from.instant(), to.instant()).compareTo(MAX_RANGE.plusMillis(1)) > 0) {
            throw Refusal.invalid(
                    "to",
                    "the range from " + from.text() + " to " + to.text() + " is longer than " + MAX_RANGE.toDays()
                            + " days; query it in parts");
        }
        UsageReport report =
                ledger.report(new UsageReport.Query(tenant, from.instant(), to.instant(), groupBy, maxGroups));
        UsageReport.Totals t = report.totals();
        return new Answer(
                tenant,
                from.text(),
                to.text(),
                groupBy.wire(),
                new Totals(t.calls(), t.inputTokens(), t.outputTokens(), t.costUsd()),
                report.groups().stream()
                        .map(g -> new Group(g.key(), g.calls(), g.inputTokens(), g.outputTokens(), g.costUsd()))
                        .toList(),
                report.truncated());
    }

    /**
     * A date is a whole UTC day ({@code to} includes it: its bound is the next midnight); an instant
     * (or offset date-time) is exact ({@code to} includes it: its bound is one millisecond later, the
     * ledger's precision).
     */
    private static Bound parse(String name, String raw, boolean upper) {
        String s = raw.trim();
        if (s.length() > 64) {
            throw Refusal.invalid(name, name + " is not an ISO date or instant");
        }
        try {
            LocalDate d = LocalDate.parse(s);
            if (d.getYear() < 1970 || d.getYear() > 9999) {
                throw Refusal.invalid(name, name + " must be a year between 1970 and 9999");
            }
            LocalDate day = upper ? d.plusDays(1) : d;
            return new Bound(day.atStartOfDay().toInstant(ZoneOffset.UTC), d.toString());
        } catch (DateTimeParseException notADate) {
            try {
                Instant i = OffsetDateTime.parse(s).toInstant();
                return new Bound(upper ? i.plusMillis(1) : i, i.toString());
            } catch (DateTimeParseException e) {
                throw Refusal.invalid(
                        name,
                        name + " must be an ISO date (2026-11-01) or instant " + "(2026-11-01T10:00:00Z); got '"
                                + abbreviate(s) + "'");
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
