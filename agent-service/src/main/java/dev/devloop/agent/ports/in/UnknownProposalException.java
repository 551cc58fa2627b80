package dev.devloop.agent.ports.in;

/** No proposal of that id for the tenant (404). */
public class UnknownProposalException extends RuntimeException {
    public UnknownProposalException(String message) {
        super(message);
    }
}
