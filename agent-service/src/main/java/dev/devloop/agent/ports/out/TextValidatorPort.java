package dev.devloop.agent.ports.out;

import java.util.List;

/**
 * Outgoing port: an external validator of texts (provider-gateway's {@code POST /v1/validate}) used by
 * remote-validation guardrails. Throws {@link DownstreamException} when the validator cannot answer.
 */
public interface TextValidatorPort {
    /** No validator: every call fails as unavailable (remote policies then follow their fail-open setting). */
    TextValidatorPort NONE = (tenant, text, pii, terms, maxChars) -> {
        throw new DownstreamException("validator", 503, "no text validator is configured", null);
    };

    /**
     * Validates {@code text}: {@code pii} kinds to look for (empty: every kind), {@code blockedTerms}
     * (case-insensitive), {@code maxChars} (0: none).
     */
    Verdict validate(String tenant, String text, List<String> pii, List<String> blockedTerms, int maxChars);

    /** The validator's answer: valid, or the violations it found (kind and message). */
    record Verdict(boolean valid, List<String> violations) {
        public Verdict {
            violations = violations == null ? List.of() : List.copyOf(violations);
        }
    }
}
