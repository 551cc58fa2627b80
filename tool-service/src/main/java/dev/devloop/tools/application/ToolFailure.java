package dev.devloop.tools.application;

/** A tool ran and failed; the message becomes the FAILED result's error. */
public class ToolFailure extends RuntimeException {
    public ToolFailure(String message) {
        super(message);
    }
}
