package dev.devloop.tools.application;

import dev.devloop.tools.ports.in.ToolRefusal;

/** The refusals of this service's use cases that {@link ToolRefusal} has no factory for. */
public final class ToolProblems {

    /** Denied: the named rule refused the call; {@code field} is the request field the rule looked at. */
    public static Denied denied(String rule, String field, String detail) {
        return new Denied(
                rule,
                ToolRefusal.Reason.DENIED,
                "tool-denied",
                "Tool call denied",
                "denied by rule " + rule + ": " + detail,
                field);
    }

    /** A denial (or a quota, {@link QuotaExceeded}) that remembers the rule which denied the call, for the audit. */
    public static class Denied extends ToolRefusal {
        private final String rule;

        Denied(String rule, Reason reason, String slug, String title, String detail, String field) {
            super(reason, slug, title, detail, field, null);
            this.rule = rule;
        }

        public String rule() {
            return rule;
        }
    }

    /** No enabled tool of that id for this tenant. */
    public static ToolRefusal unknownTool(String id) {
        return ToolRefusal.notFound(
                "tool-not-found", "Not found", "no enabled tool '" + id + "' is registered for this tenant");
    }

    /** The request collides with existing state. */
    public static ToolRefusal conflict(String slug, String field, String detail) {
        return new ToolRefusal(ToolRefusal.Reason.CONFLICT, slug, "Conflict", detail, field, null);
    }

    private ToolProblems() {}
}
