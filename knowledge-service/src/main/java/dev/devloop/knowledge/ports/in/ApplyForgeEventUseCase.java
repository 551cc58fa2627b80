package dev.devloop.knowledge.ports.in;

import dev.devloop.knowledge.domain.delivery.FeatureChange;

/** Applies forge events (docs/delivery.md) to roadmap features, once per event id. */
public interface ApplyForgeEventUseCase {
    /** What became of an event. */
    enum Outcome {
        APPLIED,
        /** No such feature for the tenant (the event was acknowledged). */
        IGNORED,
        DUPLICATE
    }

    Outcome apply(String eventId, String tenant, FeatureChange change);
}
