package dev.devloop.knowledge.ports.out;

import dev.devloop.knowledge.domain.Entity;
import dev.devloop.knowledge.domain.EntityDetails;
import dev.devloop.knowledge.domain.Neighbourhood;
import dev.devloop.knowledge.domain.Relationship;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Outgoing port of the entity graph; every call is confined to one tenant. */
public interface EntityGraphPort {
  /** Creates or updates the entity, merging {@code propertiesJson} into its properties; returns it. */
  Entity upsert(String tenant, String id, String type, String propertiesJson, Instant now);

  Optional<EntityDetails> details(String tenant, String id, int maxRelations);

  List<Entity> list(String tenant, String type, int limit);

  /** Creates or updates the relationship between two existing entities, merging its properties. */
  Relationship relate(String tenant, String from, String to, String type, String propertiesJson);

  /** Which of the ids exist as entities of the tenant. */
  List<String> existing(String tenant, List<String> ids);

  List<Relationship> relationships(String tenant, String type, int limit);

  Optional<Neighbourhood> neighbourhood(String tenant, String id, int depth, int maxEntities);
}
