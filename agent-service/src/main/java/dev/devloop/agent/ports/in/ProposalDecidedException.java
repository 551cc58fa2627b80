package dev.devloop.agent.ports.in;

/** A decision on a proposal that was decided already (409 {@code proposal-decided}). */
public class ProposalDecidedException extends RuntimeException {
    private final String status;

    public ProposalDecidedException(String status, String message) {
        super(message);
        this.status = status;
    }

    public String status() {
        return status;
    }
}
