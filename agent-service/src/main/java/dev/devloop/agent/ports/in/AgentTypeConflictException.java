package dev.devloop.agent.ports.in;

/** A registration, update or removal of an agent type that conflicts with the current state (409). */
public class AgentTypeConflictException extends RuntimeException {
    private final String rule;

    public AgentTypeConflictException(String rule, String message) {
        super(message);
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
