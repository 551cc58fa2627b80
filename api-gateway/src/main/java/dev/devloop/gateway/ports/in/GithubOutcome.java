package dev.devloop.gateway.ports.in;

/** What became of a GitHub delivery (also the {@code outcome} tag of its metric). */
public enum GithubOutcome {
    /** Published on {@code devloop.forge.events}, acknowledged by Kafka. */
    ACCEPTED,
    /** This tenant already accepted this delivery id within the replay window; nothing published. */
    DUPLICATE,
    /** A {@code ping}: verified, nothing published. */
    PING,
    /** The same delivery is being published by another request right now: retry later. */
    IN_FLIGHT,
    /** Kafka or Redis did not answer: retry later (GitHub redelivers). */
    UNAVAILABLE;

    public String tag() {
        return name().toLowerCase();
    }
}
