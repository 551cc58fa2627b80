package dev.devloop.knowledge.ports.out;

import dev.devloop.knowledge.domain.Entity;
import dev.devloop.knowledge.domain.EntityDetails;
import dev.devloop.knowledge.domain.Neighbourhood;
import dev.devloop.knowledge.domain.PropertyFilter;
import dev.devloop.knowledge.domain.Relationship;
import dev.devloop.knowledge.domain.ScoredEntity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Outgoing port of the entity graph; every call is confined to one tenant. */
public interface EntityGraphPort {
    /** Creates or updates the entity, merging {@code propertiesJson} into its properties; returns it. */
    Entity upsert(String tenant, String id, String type, String propertiesJson, Instant now);

    Optional<EntityDetails> details(String tenant, String id, int maxRelations);

    /** Entities ordered by id, after {@code afterId} when given. */
    List<Entity> list(String tenant, String type, int limit, String afterId);

    /** Creates or updates the relationship between two existing entities, merging its properties. */
    Relationship relate(String tenant, String from, String to, String type, String propertiesJson);

    /** Which of the ids exist as entities of the tenant. */
    List<String> existing(String tenant, List<String> ids);

    /** Relationships ordered by (from, type, to), after {@code after} (those three, or null). */
    List<Relationship> relationships(String tenant, String type, int limit, List<String> after);

    Optional<Neighbourhood> neighbourhood(String tenant, String id, int depth, int maxEntities);

    /**
     * Stores the embedding of an entity, only if it still has exactly {@code type} and {@code propertiesJson}
     * (the content the vector was computed from).
     */
    void embed(String tenant, String id, String type, String propertiesJson, float[] vector);

    /** Typed entities of any tenant without an embedding (written while the backend was down, or before it existed). */
    List<Entity> unembedded(int limit);

    /**
     * At most {@code limit} embedded typed entities whose vector is not of the running model (untagged or of another
     * model), tenant by tenant, of {@code tenants} only (empty: every tenant); the re-embed job gives them a new one
     * through {@link #embed}. This default: none.
     */
    default List<Entity> staleEmbedded(List<String> tenants, int limit) {
        return List.of();
    }

    /** Entity vectors not of the running model, of {@code tenants} (empty: all), by model ({@code "none"}: untagged). */
    default Map<String, Long> staleEntityCounts(List<String> tenants) {
        return Map.of();
    }

    /**
     * The stored embedding of an entity; empty when the entity is absent, not embedded, or embedded by another model
     * than the running one.
     */
    Optional<float[]> embedding(String tenant, String id);

    /**
     * The tenant's embedded entities nearest to {@code vector} by cosine, best first, at most {@code limit};
     * only of {@code type} when it is not null, never {@code excludeId}, and only entities matching every
     * property filter. Scores in [0, 1].
     */
    List<ScoredEntity> nearest(
            String tenant, float[] vector, String type, String excludeId, int limit, List<PropertyFilter> filters);
}
