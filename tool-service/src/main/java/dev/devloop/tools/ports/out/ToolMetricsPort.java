package dev.devloop.tools.ports.out;

import dev.devloop.tools.domain.ToolKind;

/** Outgoing port counting what operators watch on the invocation path (labels are bounded sets, never ids). */
public interface ToolMetricsPort {
    /** A call refused by the per-tenant quota: {@code window} is {@code minute} or {@code day}. */
    void quotaRefused(String window, ToolKind kind);

    /**
     * A git commit or push refused by the secret scan: {@code operation} is {@code commit} or {@code push},
     * {@code rule} one of the scanner's rule names (a closed set), counted once per rule that fired.
     */
    default void secretScanRefused(String operation, String rule) {}

    /**
     * A forge tool call ended: {@code tool} is the forge tool's name, {@code outcome} {@code succeeded},
     * {@code refused} (the forge said no: 4xx), {@code failed} (forge unreachable, 5xx) or {@code invalid} (400).
     */
    default void forgeCall(String tool, String outcome) {}

    /** A local forge check completed with {@code conclusion} after {@code durationMs} of running its command. */
    default void checkCompleted(String conclusion, long durationMs) {}

    /** Counts nothing (plain unit tests). */
    ToolMetricsPort NONE = (window, kind) -> {};
}
