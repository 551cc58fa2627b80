package dev.devloop.provider.domain;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A tenant's usage over a time range, summed and grouped, as the usage ledger answers it. */
public record UsageReport(Totals totals, List<Group> groups, boolean truncated) {

    /** What usage can be grouped by; {@code field} is the ledger field (day is derived from {@code at}). */
    public enum GroupBy {
        MODEL("model"),
        PROVIDER("provider"),
        AGENT("agentId"),
        DAY("at");

        private final String field;

        GroupBy(String field) {
            this.field = field;
        }

        public String field() {
            return field;
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<GroupBy> of(String s) {
            if (s == null) {
                return Optional.empty();
            }
            for (GroupBy g : values()) {
                if (g.wire().equalsIgnoreCase(s.trim())) {
                    return Optional.of(g);
                }
            }
            return Optional.empty();
        }
    }

    /** One query: the tenant's calls with {@code from <= at < toExclusive}, at most {@code maxGroups} groups. */
    public record Query(String tenant, Instant from, Instant toExclusive, GroupBy groupBy, int maxGroups) {}

    /** Sums over calls; {@code costUsd} is null when none of them had a price. */
    public record Totals(long calls, long inputTokens, long outputTokens, Double costUsd) {
        public static final Totals NONE = new Totals(0, 0, 0, null);

        /** The sums over {@code groups}; the cost is null when no group had a priced call. */
        public static Totals of(List<Group> groups) {
            long calls = 0;
            long in = 0;
            long out = 0;
            Double cost = null;
            for (Group g : groups) {
                calls += g.calls();
                in += g.inputTokens();
                out += g.outputTokens();
                if (g.costUsd() != null) {
                    cost = (cost == null ? 0 : cost) + g.costUsd();
                }
            }
            return calls == 0 ? NONE : new Totals(calls, in, out, cost);
        }
    }

    /** Sums over the calls sharing one key (a model, provider, agent id or UTC day {@code yyyy-MM-dd}). */
    public record Group(String key, long calls, long inputTokens, long outputTokens, Double costUsd) {}
}
