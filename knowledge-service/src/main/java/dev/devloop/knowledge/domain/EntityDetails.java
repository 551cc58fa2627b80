package dev.devloop.knowledge.domain;

import java.util.List;

/** An entity with its relations (the seed's {@code get_entity_metadata}). */
public record EntityDetails(Entity entity, List<Relation> relations) {

    /** One relationship seen from the entity: {@code out} when it starts there, {@code in} otherwise. */
    public record Relation(String type, String direction, String otherId, String otherType, String propertiesJson) {}
}
