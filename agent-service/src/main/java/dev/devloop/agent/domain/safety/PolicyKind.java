package dev.devloop.agent.domain.safety;

/** The kinds of check a guardrail policy can make. */
public enum PolicyKind {
    /** Any of the regular expressions matches. */
    DENY_PATTERN,
    /** E-mail addresses, phone numbers, card numbers (Luhn-checked) or API keys appear. */
    PII,
    /** Phrases that try to override the agent's instructions. */
    PROMPT_INJECTION,
    /** The text is longer than {@code maxLength} characters. */
    MAX_LENGTH,
    /** None of the allowed topic keywords appears. */
    ALLOWED_TOPICS,
    /**
     * provider-gateway's {@code POST /v1/validate} judges the text ({@code piiKinds}, {@code patterns} as
     * blocked terms, {@code maxLength} as max chars); evaluated by the loop through a port, not here.
     */
    REMOTE_VALIDATION
}
