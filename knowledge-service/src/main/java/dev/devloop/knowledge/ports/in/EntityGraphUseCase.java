package dev.devloop.knowledge.ports.in;

import dev.devloop.knowledge.domain.Entity;
import dev.devloop.knowledge.domain.EntityDetails;
import dev.devloop.knowledge.domain.ListPage;
import dev.devloop.knowledge.domain.Neighbourhood;
import dev.devloop.knowledge.domain.Relationship;
import dev.devloop.knowledge.domain.ScoredEntity;
import java.util.List;
import java.util.Map;

/** Incoming port of the entity graph: entities, typed relationships and neighbourhoods, per tenant. */
public interface EntityGraphUseCase {
    Entity upsert(UpsertEntityCommand command);

    EntityDetails get(String tenant, String id);

    /**
     * Entities of a type (all types when {@code type} is null) in id order, at most {@code limit}, after the
     * keyset key {@code after} (a previous page's {@code nextAfter}) when given.
     */
    ListPage<Entity> list(String tenant, String type, Integer limit, String after);

    Relationship relate(RelateEntitiesCommand command);

    /** Relationships of a type (all types when {@code type} is null) in (from, type, to) order, keyset-paged as {@link #list}. */
    ListPage<Relationship> relationships(String tenant, String type, Integer limit, String after);

    Neighbourhood neighbourhood(String tenant, String id, Integer depth);

    /** The entities most similar to entity {@code id} (itself excluded), best first (the seed's similar_entities). */
    List<ScoredEntity> similar(String tenant, String id, Integer limit);

    /** The entities nearest in meaning to a text query, optionally of one type, best first (semantic_search). */
    default List<ScoredEntity> semanticSearch(String tenant, String query, String type, Integer limit) {
        return semanticSearch(tenant, query, type, limit, null);
    }

    /**
     * As {@link #semanticSearch(String, String, String, Integer)}, keeping only entities whose top-level
     * properties match every filter: {@code filters} maps a property name to a scalar (equality) or to an object
     * with one operator, {@code {"eq": scalar}} or {@code {"in": [scalars…]}}; null means no filters.
     */
    List<ScoredEntity> semanticSearch(
            String tenant, String query, String type, Integer limit, Map<String, Object> filters);
}
