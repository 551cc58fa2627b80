package dev.devloop.knowledge.ports.in;

import dev.devloop.knowledge.domain.StoredFact;

/** Incoming port: store a fact in the tier its TTL selects and drop copies from the other tiers. */
public interface StoreFactUseCase {
    StoredFact store(StoreFactCommand command);
}
