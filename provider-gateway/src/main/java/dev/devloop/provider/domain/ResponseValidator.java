package dev.devloop.provider.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a model answer before an agent acts on it or shows it (agent-service guardrails): PII and
 * secrets of the kinds asked for, blocked terms (case-insensitive), and a length bound. Returns
 * every violation and the answer with PII masked.
 */
public final class ResponseValidator {

    private ResponseValidator() {}

    /** One broken rule: {@code kind} is a PII kind, {@code blocked_term} or {@code too_long}. */
    public record Violation(String kind, int count, String message) {}

    public record Result(boolean valid, List<Violation> violations, String redacted) {}

    public static Result validate(String text, Set<String> forbiddenPii, List<String> blockedTerms, Integer maxChars) {
        List<Violation> violations = new ArrayList<>();
        PiiRedactor.Redaction redaction = PiiRedactor.redact(text);
        for (Map.Entry<String, Integer> e : redaction.counts().entrySet()) {
            if (forbiddenPii.contains(e.getKey())) {
                violations.add(new Violation(
                        e.getKey(),
                        e.getValue(),
                        e.getValue() + " " + e.getKey().replace('_', ' ') + " value(s) found"));
            }
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (String term : blockedTerms) {
            String t = term.toLowerCase(Locale.ROOT);
            int count = 0;
            for (int i = lower.indexOf(t); i >= 0; i = lower.indexOf(t, i + t.length())) {
                count++;
            }
            if (count > 0) {
                violations.add(new Violation(
                        "blocked_term", count, "blocked term '" + term + "' found " + count + " time(s)"));
            }
        }
        if (maxChars != null && text.length() > maxChars) {
            violations.add(
                    new Violation("too_long", 1, "answer has " + text.length() + " characters, more than " + maxChars));
        }
        return new Result(violations.isEmpty(), List.copyOf(violations), redaction.text());
    }
}
