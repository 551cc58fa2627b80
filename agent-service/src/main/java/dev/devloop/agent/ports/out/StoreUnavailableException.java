package dev.devloop.agent.ports.out;

/** The store (MongoDB) could not be reached within the time allowed; the caller may try again later. */
public class StoreUnavailableException extends RuntimeException {
    private final String operation;

    public StoreUnavailableException(String operation, Throwable cause) {
        super("the run store is unavailable (" + operation + "): " + (cause == null ? "" : cause.getMessage()), cause);
        this.operation = operation;
    }

    public String operation() {
        return operation;
    }
}
