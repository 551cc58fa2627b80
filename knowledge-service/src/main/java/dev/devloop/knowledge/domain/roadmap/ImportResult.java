package dev.devloop.knowledge.domain.roadmap;

/** What an import did: nodes created, updated and unchanged, and dependency edges added. */
public record ImportResult(int created, int updated, int unchanged, int dependencies) {}
