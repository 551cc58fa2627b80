package dev.devloop.agent.ports.in;

/** An agent type definition that breaks a rule; {@code field} names the offending field. */
public class InvalidAgentTypeException extends RuntimeException {
    private final String field;

    public InvalidAgentTypeException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
