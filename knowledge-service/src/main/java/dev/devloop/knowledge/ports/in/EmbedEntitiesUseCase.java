package dev.devloop.knowledge.ports.in;

/** Incoming port of the entity embedding backfill: typed entities stored without a vector get one. */
public interface EmbedEntitiesUseCase {
    /** Embeds at most {@code limit} typed entities that have no vector; returns how many got one. */
    int embedMissing(int limit);
}
