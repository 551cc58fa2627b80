package dev.devloop.agent.ports.in;

/** A request that needs a running run (a cancel) made on one that already ended (409). */
public class RunFinishedException extends RuntimeException {
    private final String status;

    public RunFinishedException(String status, String message) {
        super(message);
        this.status = status;
    }

    public String status() {
        return status;
    }
}
