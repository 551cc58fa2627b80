package dev.devloop.agent.domain.safety;

/** What a violated guardrail does: stop the run, or let it go on and only record (warn) or log. */
public enum Enforcement {
    BLOCK,
    WARN,
    LOG
}
