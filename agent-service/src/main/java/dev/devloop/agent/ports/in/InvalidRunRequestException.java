package dev.devloop.agent.ports.in;

/** A run request that breaks a bound; {@code field} names the offending request field. */
public class InvalidRunRequestException extends RuntimeException {
    private final String field;

    public InvalidRunRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
