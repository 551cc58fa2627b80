package dev.devloop.knowledge.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * A region of the read cache: the unit a tenant's cached reads are invalidated in. Facts are evicted key by
 * key (a write names its fact); the graph and search regions are invalidated as a whole, because one entity,
 * relationship or document write can change any neighbourhood, similarity ranking or search result.
 */
public enum CacheRegion {
    /** Fact reads ({@code GET /facts/{e}/{a}}) and fact lists ({@code GET /facts/{e}}). */
    FACTS,
    /** Entity details, neighbourhoods, similar entities and entity semantic search. */
    GRAPH,
    /** Chunk search results ({@code POST /search}, and so the retrieval of RAG). */
    SEARCH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CacheRegion> parse(String wire) {
        if (wire == null) {
            return Optional.empty();
        }
        for (CacheRegion region : values()) {
            if (region.wireName().equals(wire)) {
                return Optional.of(region);
            }
        }
        return Optional.empty();
    }
}
