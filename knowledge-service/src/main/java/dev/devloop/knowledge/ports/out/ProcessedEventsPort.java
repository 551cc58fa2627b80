package dev.devloop.knowledge.ports.out;

import java.time.Instant;

/** Outgoing port remembering which events a consumer has applied, so redeliveries are skipped. */
public interface ProcessedEventsPort {
    /** True when that consumer already applied the event. */
    boolean isProcessed(String consumer, String tenant, String eventId);

    /** Records that the consumer applied the event. */
    void markProcessed(String consumer, String tenant, String eventId, Instant at);

    /** Forgets records older than {@code before}; returns how many. */
    int forgetBefore(Instant before, int limit);
}
