package dev.devloop.knowledge.domain;

/** An entity found by semantic similarity, with its cosine score in [0, 1]. */
public record ScoredEntity(Entity entity, double score) {}
