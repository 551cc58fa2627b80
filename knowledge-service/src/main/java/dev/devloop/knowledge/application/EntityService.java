package dev.devloop.knowledge.application;

import dev.devloop.contracts.Tenants;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.knowledge.domain.Entity;
import dev.devloop.knowledge.domain.EntityDetails;
import dev.devloop.knowledge.domain.Neighbourhood;
import dev.devloop.knowledge.domain.Relationship;
import dev.devloop.knowledge.ports.in.EntityGraphUseCase;
import dev.devloop.knowledge.ports.in.RelateEntitiesCommand;
import dev.devloop.knowledge.ports.in.UpsertEntityCommand;
import dev.devloop.knowledge.ports.out.EntityGraphPort;
import io.quarkus.logging.Log;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Entities, typed relationships and neighbourhoods in the graph, validated and bounded. */
public class EntityService implements EntityGraphUseCase {
  /** Entity types: a word such as {@code service} or {@code k8s.pod}. */
  static final Pattern ENTITY_TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
  /** Relationship types follow the Neo4j convention, e.g. {@code DEPENDS_ON}; they are inlined in Cypher. */
  static final Pattern RELATIONSHIP_TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

  private final EntityGraphPort graph;
  private final GraphLimits limits;
  private final Clock clock;

  public EntityService(EntityGraphPort graph, GraphLimits limits, Clock clock) {
    this.graph = graph;
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public Entity upsert(UpsertEntityCommand command) {
    String tenant = Tenants.require(command.tenant());
    String id = name("id", command.id());
    String type = type("type", command.type(), ENTITY_TYPE, true);
    String properties = properties(command.propertiesJson());
    Entity entity = graph.upsert(tenant, id, type, properties, clock.instant());
    Log.infof("entity upserted tenant=%s id=%s type=%s", tenant, id, type);
    return entity;
  }

  @Override
  public EntityDetails get(String tenant, String id) {
    String checkedTenant = Tenants.require(tenant);
    String checkedId = name("id", id);
    EntityDetails details = graph.details(checkedTenant, checkedId, limits.maxRelations())
        .orElseThrow(() -> entityNotFound(checkedId));
    Log.infof("entity read tenant=%s id=%s relations=%d", checkedTenant, checkedId, details.relations().size());
    return details;
  }

  @Override
  public List<Entity> list(String tenant, String type, Integer limit) {
    String checkedTenant = Tenants.require(tenant);
    String checkedType = type("type", type, ENTITY_TYPE, false);
    List<Entity> entities = graph.list(checkedTenant, checkedType, limit(limit));
    Log.infof("entities listed tenant=%s type=%s count=%d", checkedTenant, checkedType, entities.size());
    return entities;
  }

  @Override
  public Relationship relate(RelateEntitiesCommand command) {
    String tenant = Tenants.require(command.tenant());
    String from = name("from", command.from());
    String to = name("to", command.to());
    String type = type("type", command.type(), RELATIONSHIP_TYPE, true);
    String properties = properties(command.propertiesJson());
    List<String> existing = graph.existing(tenant, List.of(from, to));
    List<String> missing = new ArrayList<>();
    if (!existing.contains(from)) {
      missing.add(from);
    }
    if (!existing.contains(to) && !to.equals(from)) {
      missing.add(to);
    }
    if (!missing.isEmpty()) {
      throw entityNotFound(String.join(", ", missing));
    }
    Relationship relationship = graph.relate(tenant, from, to, type, properties);
    Log.infof("relationship upserted tenant=%s from=%s type=%s to=%s", tenant, from, type, to);
    return relationship;
  }

  @Override
  public List<Relationship> relationships(String tenant, String type, Integer limit) {
    String checkedTenant = Tenants.require(tenant);
    String checkedType = type("type", type, RELATIONSHIP_TYPE, false);
    List<Relationship> found = graph.relationships(checkedTenant, checkedType, limit(limit));
    Log.infof("relationships listed tenant=%s type=%s count=%d", checkedTenant, checkedType, found.size());
    return found;
  }

  @Override
  public Neighbourhood neighbourhood(String tenant, String id, Integer depth) {
    String checkedTenant = Tenants.require(tenant);
    String checkedId = name("id", id);
    int hops = depth == null ? 1 : depth;
    if (hops < 1 || hops > limits.maxDepth()) {
      throw ProblemException.badRequest("depth", "depth must be between 1 and " + limits.maxDepth());
    }
    Neighbourhood found = graph.neighbourhood(checkedTenant, checkedId, hops, limits.maxNeighbourhoodEntities())
        .orElseThrow(() -> entityNotFound(checkedId));
    Log.infof("neighbourhood read tenant=%s id=%s depth=%d entities=%d", checkedTenant, checkedId, hops,
        found.entities().size());
    return found;
  }

  private int limit(Integer limit) {
    int value = limit == null ? limits.defaultListLimit() : limit;
    if (value < 1 || value > limits.maxListLimit()) {
      throw ProblemException.badRequest("limit", "limit must be between 1 and " + limits.maxListLimit());
    }
    return value;
  }

  private String name(String field, String value) {
    if (value == null || value.isBlank()) {
      throw ProblemException.badRequest(field, field + " must not be blank");
    }
    if (value.length() > limits.maxIdLength()) {
      throw ProblemException.badRequest(field, field + " must be at most " + limits.maxIdLength() + " characters");
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw ProblemException.badRequest(field, field + " must not contain control characters");
    }
    return value;
  }

  private static String type(String field, String value, Pattern pattern, boolean required) {
    if (value == null || value.isEmpty()) {
      if (required) {
        throw ProblemException.badRequest(field, field + " is required");
      }
      return null;
    }
    if (!pattern.matcher(value).matches()) {
      throw ProblemException.badRequest(field, field + " must match " + pattern.pattern());
    }
    return value;
  }

  private String properties(String json) {
    if (json == null) {
      return "{}";
    }
    int bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > limits.maxPropertiesBytes()) {
      throw ProblemException.badRequest(
          "properties", "properties are " + bytes + " bytes as JSON; at most " + limits.maxPropertiesBytes() + " are allowed");
    }
    return json;
  }

  private static ProblemException entityNotFound(String ids) {
    return ProblemException.notFound("entity-not-found", "No entity " + ids + " for this tenant.");
  }
}
