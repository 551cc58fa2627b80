package dev.devloop.knowledge.ports.out;

import java.util.List;

/**
 * The roadmap event outbox the roadmap transactions write ({@link RoadmapTx}): read in write order, trimmed once
 * Kafka acknowledged. Every method throws {@link TierUnavailableException} when the store is down.
 */
public interface RoadmapOutboxPort {
    /** One stored event: its id, tenant (the Kafka key) and CloudEvent JSON. */
    record Pending(String id, String tenant, String payload) {}

    /** The oldest events, in write order (per tenant, the order of its sequence). */
    List<Pending> oldest(int limit);

    /** Removes the events of these ids (the ones Kafka acknowledged). */
    void delete(List<String> ids);

    /** How many events wait. */
    long pending();
}
