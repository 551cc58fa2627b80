package dev.devloop.knowledge.ports.in;

import dev.devloop.knowledge.domain.StoredFact;

/** Incoming port: read a fact, cascading short → medium → long; 404 when absent or expired. */
public interface GetFactUseCase {
    StoredFact get(String tenant, String entity, String attribute);
}
