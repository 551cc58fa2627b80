package dev.devloop.agent.ports.in;

/** Work given to an agent that is unresponsive or at its {@code maxConcurrentRuns} (409 {@code agent-unavailable}). */
public class AgentUnavailableException extends RuntimeException {
    private final String availability;

    public AgentUnavailableException(String availability, String message) {
        super(message);
        this.availability = availability;
    }

    public String availability() {
        return availability;
    }
}
