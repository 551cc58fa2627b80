package dev.devloop.agent.domain;

/** A spawn the hierarchy rules forbid; {@code rule} names which one. */
public class HierarchyViolation extends RuntimeException {
    private final String rule;

    public HierarchyViolation(String rule, String message) {
        super(message);
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
