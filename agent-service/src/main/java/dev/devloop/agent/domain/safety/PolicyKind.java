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
  ALLOWED_TOPICS
}
