package dev.devloop.provider.ports.in;

/** Reads the calling tenant's usage from the ledger ({@code GET /v1/usage}). */
public interface UsageQueryUseCase {

    /** The answer: the range as understood, totals and groups ({@code truncated} when more groups exist). */
    record Answer(
            String tenant,
            String from,
            String to,
            String groupBy,
            Totals totals,
            java.util.List<Group> groups,
            boolean truncated) {}

    record Totals(long calls, long inputTokens, long outputTokens, Double costUsd) {}

    record Group(String key, long calls, long inputTokens, long outputTokens, Double costUsd) {}

    /**
     * {@code from}/{@code to}: ISO dates ({@code 2026-11-01}, whole UTC days, both inclusive) or instants
     * ({@code 2026-11-01T10:00:00Z}); null → the current UTC month. {@code groupBy}: model (default),
     * provider, agent or day. Throws an INVALID (400) {@link dev.devloop.contracts.problem.Refusal}
     * naming the parameter.
     */
    Answer usage(String tenant, String from, String to, String groupBy);
}
