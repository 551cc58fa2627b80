package dev.devloop.agent.ports.out;

/** A sibling service answered with an error (or not at all); {@code status} 0 means unreachable. */
public class DownstreamException extends RuntimeException {
    private final String service;
    private final int status;

    public DownstreamException(String service, int status, String detail, Throwable cause) {
        super(service + ": " + detail, cause);
        this.service = service;
        this.status = status;
    }

    public String service() {
        return service;
    }

    public int status() {
        return status;
    }

    public boolean isClientError() {
        return status >= 400 && status < 500;
    }
}
