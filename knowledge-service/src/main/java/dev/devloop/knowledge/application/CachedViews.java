package dev.devloop.knowledge.application;

import dev.devloop.knowledge.domain.ScoredEntity;
import dev.devloop.knowledge.domain.SearchHit;
import dev.devloop.knowledge.domain.StoredFact;
import java.util.List;

/** Lists as they are cached: a record per list type, so a cache adapter can restore the element type. */
public final class CachedViews {
    /** The facts of one entity. */
    public record Facts(List<StoredFact> facts) {}

    /** Chunk search hits. */
    public record Hits(List<SearchHit> hits) {}

    /** Entities ranked by similarity. */
    public record Entities(List<ScoredEntity> entities) {}

    private CachedViews() {}
}
