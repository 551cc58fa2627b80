package dev.devloop.gateway.domain;

/** What became of one delivery attempt. */
public enum DeliveryOutcome {
    /** The receiver answered 2xx. */
    DELIVERED,
    /** The receiver failed; another attempt is queued. */
    RETRY_SCHEDULED,
    /** The receiver failed the last allowed attempt; the delivery went to the dead-letter topic. */
    DEAD_LETTERED,
    /** The webhook was deleted (or its URL is no longer allowed) before the attempt. */
    DROPPED
}
