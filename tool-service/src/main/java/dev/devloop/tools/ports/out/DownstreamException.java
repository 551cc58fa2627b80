package dev.devloop.tools.ports.out;

/** A dependency refused or failed a call; the message is safe to show to the calling model. */
public class DownstreamException extends RuntimeException {
    public DownstreamException(String message) {
        super(message);
    }

    public DownstreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
