package dev.devloop.knowledge.adapters.out.neo4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.knowledge.domain.Entity;
import dev.devloop.knowledge.domain.EntityDetails;
import dev.devloop.knowledge.domain.Neighbourhood;
import dev.devloop.knowledge.domain.Relationship;
import dev.devloop.knowledge.domain.ScoredEntity;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.ports.out.EntityGraphPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;

/**
 * The entity graph in Neo4j: {@code (:Entity {tenant, id, type, properties, createdAt, updatedAt})} and
 * typed relationships {@code (a)-[:TYPE {tenant, properties}]->(b)} between entities of one tenant.
 * Properties are kept as one JSON object text, so nested values survive; upserts merge top-level keys.
 * Relationship types cannot be Cypher parameters: they are checked against a strict pattern here too.
 */
@ApplicationScoped
public class Neo4jEntityGraph implements EntityGraphPort {
  private static final Pattern SAFE_TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  private static final String ENTITY_FIELDS =
      "e.tenant AS tenant, e.id AS id, e.type AS type, e.properties AS properties, e.updatedAt AS updatedAt";

  private final Neo4jGraph graph;
  private final ObjectMapper json;
  private final KnowledgeConfig.Search search;

  public Neo4jEntityGraph(Neo4jGraph graph, ObjectMapper json, KnowledgeConfig config) {
    this.graph = graph;
    this.json = json;
    this.search = config.search();
  }

  @Override
  public Entity upsert(String tenant, String id, String type, String propertiesJson, Instant now) {
    Map<String, Object> p = new HashMap<>(Map.of("tenant", tenant, "id", id, "type", type, "now", now.toEpochMilli()));
    return graph.write(tx -> {
      List<Record> existing = tx.run(
          "MATCH (e:Entity {tenant: $tenant, id: $id}) RETURN e.properties AS properties", p).list();
      String current = existing.isEmpty() ? null : text(existing.get(0).get("properties"));
      p.put("properties", merge(current, propertiesJson));
      // a vector computed from other content is dropped here; the new one is stored by embed()
      return toEntity(tx.run("MERGE (e:Entity {tenant: $tenant, id: $id}) ON CREATE SET e.createdAt = $now "
          + "SET e.embedding = CASE WHEN e.type = $type AND e.properties = $properties THEN e.embedding ELSE null END, "
          + "e.type = $type, e.properties = $properties, e.updatedAt = $now RETURN " + ENTITY_FIELDS, p).single());
    });
  }

  @Override
  public Optional<EntityDetails> details(String tenant, String id, int maxRelations) {
    Map<String, Object> p = Map.of("tenant", tenant, "id", id, "max", maxRelations);
    List<Record> rows = graph.read(tx -> tx.run(
        "MATCH (e:Entity {tenant: $tenant, id: $id}) "
            + "OPTIONAL MATCH (e)-[r]-(o:Entity {tenant: $tenant}) "
            + "WITH e, r, o ORDER BY type(r), o.id LIMIT $max "
            + "RETURN " + ENTITY_FIELDS + ", collect(CASE WHEN r IS NULL THEN null ELSE {type: type(r), "
            + "direction: CASE WHEN startNode(r) = e THEN 'out' ELSE 'in' END, otherId: o.id, otherType: o.type, "
            + "properties: r.properties} END) AS relations", p).list());
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Record row = rows.get(0);
    List<EntityDetails.Relation> relations = new ArrayList<>();
    for (Value r : row.get("relations").values()) {
      relations.add(new EntityDetails.Relation(text(r.get("type")), text(r.get("direction")), text(r.get("otherId")),
          text(r.get("otherType")), orEmpty(text(r.get("properties")))));
    }
    return Optional.of(new EntityDetails(toEntity(row), List.copyOf(relations)));
  }

  @Override
  public List<Entity> list(String tenant, String type, int limit) {
    Map<String, Object> p = new HashMap<>();
    p.put("tenant", tenant);
    p.put("type", type);
    p.put("limit", limit);
    return graph.read(tx -> tx.run("MATCH (e:Entity {tenant: $tenant}) WHERE $type IS NULL OR e.type = $type "
        + "RETURN " + ENTITY_FIELDS + " ORDER BY e.id LIMIT $limit", p).list(Neo4jEntityGraph::toEntity));
  }

  @Override
  public List<String> existing(String tenant, List<String> ids) {
    Map<String, Object> p = Map.of("tenant", tenant, "ids", ids);
    return graph.read(tx -> tx.run("MATCH (e:Entity {tenant: $tenant}) WHERE e.id IN $ids RETURN e.id AS id", p)
        .list(r -> r.get("id").asString()));
  }

  @Override
  public Relationship relate(String tenant, String from, String to, String type, String propertiesJson) {
    String rel = safeType(type);
    Map<String, Object> p = new HashMap<>(Map.of("tenant", tenant, "from", from, "to", to));
    return graph.write(tx -> {
      List<Record> existing = tx.run("MATCH (:Entity {tenant: $tenant, id: $from})-[r:`" + rel + "`]->"
          + "(:Entity {tenant: $tenant, id: $to}) RETURN r.properties AS properties", p).list();
      String current = existing.isEmpty() ? null : text(existing.get(0).get("properties"));
      p.put("properties", merge(current, propertiesJson));
      Record row = tx.run("MATCH (a:Entity {tenant: $tenant, id: $from}), (b:Entity {tenant: $tenant, id: $to}) "
          + "MERGE (a)-[r:`" + rel + "`]->(b) SET r.tenant = $tenant, r.properties = $properties "
          + "RETURN r.properties AS properties", p).single();
      return new Relationship(tenant, from, to, type, text(row.get("properties")));
    });
  }

  @Override
  public List<Relationship> relationships(String tenant, String type, int limit) {
    String pattern = type == null ? "[r]" : "[r:`" + safeType(type) + "`]";
    Map<String, Object> p = Map.of("tenant", tenant, "limit", limit);
    return graph.read(tx -> tx.run("MATCH (a:Entity {tenant: $tenant})-" + pattern + "->(b:Entity {tenant: $tenant}) "
        + "RETURN a.id AS from, b.id AS to, type(r) AS type, r.properties AS properties "
        + "ORDER BY from, type, to LIMIT $limit", p).list(r -> toRelationship(tenant, r)));
  }

  @Override
  public Optional<Neighbourhood> neighbourhood(String tenant, String id, int depth, int maxEntities) {
    Map<String, Object> p = Map.of("tenant", tenant, "id", id, "max", maxEntities);
    return graph.read(tx -> {
      List<Record> rows = tx.run("MATCH (c:Entity {tenant: $tenant, id: $id}) "
          + "OPTIONAL MATCH path = (c)-[*1.." + Math.max(1, depth) + "]-(n:Entity) "
          + "WHERE n <> c AND all(x IN nodes(path) WHERE x:Entity AND x.tenant = $tenant) "
          + "WITH c, n, min(length(path)) AS distance ORDER BY distance, n.id LIMIT $max "
          + "RETURN c.id AS centre, n.id AS id, n.type AS type, distance", p).list();
      if (rows.isEmpty()) {
        return Optional.<Neighbourhood>empty();
      }
      List<Neighbourhood.Neighbour> entities = new ArrayList<>();
      List<String> ids = new ArrayList<>(List.of(id));
      for (Record row : rows) {
        if (!row.get("id").isNull()) {
          entities.add(new Neighbourhood.Neighbour(row.get("id").asString(), text(row.get("type")),
              row.get("distance").asInt()));
          ids.add(row.get("id").asString());
        }
      }
      Map<String, Object> q = Map.of("tenant", tenant, "ids", ids, "max", maxEntities * 4);
      List<Relationship> edges = tx.run("MATCH (a:Entity {tenant: $tenant})-[r]->(b:Entity {tenant: $tenant}) "
          + "WHERE a.id IN $ids AND b.id IN $ids RETURN a.id AS from, b.id AS to, type(r) AS type, "
          + "r.properties AS properties ORDER BY from, type, to LIMIT $max", q).list(r -> toRelationship(tenant, r));
      return Optional.of(new Neighbourhood(id, depth, List.copyOf(entities), edges));
    });
  }

  @Override
  public void embed(String tenant, String id, String type, String propertiesJson, float[] vector) {
    Map<String, Object> p = new HashMap<>();
    p.put("tenant", tenant);
    p.put("id", id);
    p.put("type", type);
    p.put("properties", propertiesJson);
    p.put("vector", list(vector));
    graph.write(tx -> tx.run("MATCH (e:Entity {tenant: $tenant, id: $id}) "
        + "WHERE e.type = $type AND e.properties = $properties SET e.embedding = $vector", p).consume());
  }

  @Override
  public List<Entity> unembedded(int limit) {
    return graph.read(tx -> tx.run("MATCH (e:Entity) WHERE e.type IS NOT NULL AND e.embedding IS NULL "
        + "RETURN " + ENTITY_FIELDS + " LIMIT $limit", Map.of("limit", limit)).list(Neo4jEntityGraph::toEntity));
  }

  @Override
  public Optional<float[]> embedding(String tenant, String id) {
    Map<String, Object> p = Map.of("tenant", tenant, "id", id);
    List<Record> rows = graph.read(tx -> tx.run("MATCH (e:Entity {tenant: $tenant, id: $id}) "
        + "WHERE e.embedding IS NOT NULL RETURN e.embedding AS embedding", p).list());
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    List<Object> values = rows.get(0).get("embedding").asList();
    float[] vector = new float[values.size()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = ((Number) values.get(i)).floatValue();
    }
    return Optional.of(vector);
  }

  /**
   * Asks the vector index for {@code limit × over-fetch-factor} candidates (other tenants share the index) and
   * keeps the tenant's; when that leaves too few, scores the tenant's embedded entities exactly (bounded).
   */
  @Override
  public List<ScoredEntity> nearest(String tenant, float[] vector, String type, String excludeId, int limit) {
    Map<String, Object> p = new HashMap<>();
    p.put("tenant", tenant);
    p.put("vector", list(vector));
    p.put("type", type);
    p.put("exclude", excludeId);
    p.put("limit", limit);
    p.put("candidates", Math.min(search.maxIndexCandidates(), (limit + 1) * search.overFetchFactor()));
    p.put("maxScan", search.exactScanMaxChunks());
    String where = "e.tenant = $tenant AND ($type IS NULL OR e.type = $type) AND ($exclude IS NULL OR e.id <> $exclude)";
    String fields = "RETURN " + ENTITY_FIELDS + ", score ORDER BY score DESC, e.id LIMIT $limit";
    return graph.read(tx -> {
      List<ScoredEntity> hits = tx.run("CALL db.index.vector.queryNodes('" + Neo4jGraph.ENTITY_VECTOR_INDEX
          + "', $candidates, $vector) YIELD node AS e, score WHERE " + where + " " + fields, p).list(this::scored);
      if (hits.size() >= limit) {
        return hits;
      }
      return tx.run("MATCH (e:Entity {tenant: $tenant}) WHERE e.embedding IS NOT NULL AND " + where
          + " WITH e LIMIT $maxScan "
          + "WITH e, vector.similarity.cosine(e.embedding, $vector) AS score " + fields, p).list(this::scored);
    });
  }

  private ScoredEntity scored(Record r) {
    return new ScoredEntity(toEntity(r), r.get("score").asDouble());
  }

  private static List<Double> list(float[] vector) {
    List<Double> v = new ArrayList<>(vector.length);
    for (float f : vector) {
      v.add((double) f);
    }
    return v;
  }

  private static String safeType(String type) {
    if (!SAFE_TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException("unsafe relationship type " + type);
    }
    return type;
  }

  /** Top-level keys of {@code update} replace those of {@code current}; both are JSON objects. */
  private String merge(String current, String update) {
    try {
      ObjectNode merged = current == null ? json.createObjectNode() : (ObjectNode) json.readTree(current);
      JsonNode changes = json.readTree(update);
      if (!changes.isObject()) {
        throw new IllegalArgumentException("properties must be a JSON object");
      }
      merged.setAll((ObjectNode) changes);
      return json.writeValueAsString(merged);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("properties are not JSON", e);
    }
  }

  private static Relationship toRelationship(String tenant, Record r) {
    return new Relationship(tenant, r.get("from").asString(), r.get("to").asString(), r.get("type").asString(),
        orEmpty(text(r.get("properties"))));
  }

  private static Entity toEntity(Record r) {
    Value updated = r.get("updatedAt");
    return new Entity(r.get("tenant").asString(), r.get("id").asString(), text(r.get("type")),
        orEmpty(text(r.get("properties"))), updated.isNull() ? null : Instant.ofEpochMilli(updated.asLong()));
  }

  private static String orEmpty(String properties) {
    return properties == null ? "{}" : properties;
  }

  private static String text(Value v) {
    return v == null || v.isNull() ? null : v.asString();
  }
}
