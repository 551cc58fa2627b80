package dev.devloop.agent.ports.in;

/** The run names an agent type or agent id that does not exist for this tenant. */
public class UnknownAgentException extends RuntimeException {
    private final String ref;

    public UnknownAgentException(String ref, String message) {
        super(message);
        this.ref = ref;
    }

    public String ref() {
        return ref;
    }
}
