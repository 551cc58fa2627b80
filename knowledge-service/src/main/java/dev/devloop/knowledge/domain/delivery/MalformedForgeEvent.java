package dev.devloop.knowledge.domain.delivery;

/** A forge payload that lacks what its kind must carry (e.g. a pull_request event without a number). */
public class MalformedForgeEvent extends RuntimeException {
    public MalformedForgeEvent(String message) {
        super(message);
    }
}
