package dev.devloop.knowledge.adapters.out.neo4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.domain.Entity;
import dev.devloop.knowledge.domain.EntityDetails;
import dev.devloop.knowledge.domain.Neighbourhood;
import dev.devloop.knowledge.domain.PropertyFilter;
import dev.devloop.knowledge.domain.Relationship;
import dev.devloop.knowledge.domain.ScoredEntity;
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
import org.neo4j.driver.TransactionContext;
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
    /** Prefix of the node properties holding top-level scalar entity properties, for property filters. */
    static final String PROPERTY_PREFIX = "p_";
    /** Version of the derived fields (tenant label, {@code p_} copies) an entity carries; the migration fills older ones. */
    static final int DERIVED_VERSION = 1;

    private static final String PROPERTY_FILTER =
            "all(f IN $filters WHERE e['" + PROPERTY_PREFIX + "' + f.key] IN f.values)";

    private final KnowledgeConfig.Search search;
    private final Neo4jTenantVectors vectors;

    public Neo4jEntityGraph(Neo4jGraph graph, ObjectMapper json, KnowledgeConfig config, Neo4jTenantVectors vectors) {
        this.graph = graph;
        this.json = json;
        this.search = config.search();
        this.vectors = vectors;
    }

    @Override
    public Entity upsert(String tenant, String id, String type, String propertiesJson, Instant now) {
        Map<String, Object> p =
                new HashMap<>(Map.of("tenant", tenant, "id", id, "type", type, "now", now.toEpochMilli()));
        return graph.write(tx -> {
            List<Record> existing = tx.run(
                            "MATCH (e:Entity {tenant: $tenant, id: $id}) RETURN e.properties AS properties", p)
                    .list();
            String current = existing.isEmpty() ? null : text(existing.get(0).get("properties"));
            String merged = merge(current, propertiesJson);
            p.put("properties", merged);
            p.put("derived", derived(merged));
            p.put("version", DERIVED_VERSION);
            // a dynamic label: one statement text (one plan) for every tenant
            p.put("entityLabel", Neo4jTenantVectors.labelParameter(Neo4jTenantVectors.Kind.ENTITY, tenant));
            // a vector computed from other content is dropped here; the new one is stored by embed()
            return toEntity(tx.run(
                            "MERGE (e:Entity {tenant: $tenant, id: $id}) ON CREATE SET e.createdAt = $now "
                                    + "SET e.embedding = CASE WHEN e.type = $type AND e.properties = $properties THEN e.embedding ELSE null END, "
                                    + "e." + Neo4jTenantVectors.MODEL_PROPERTY
                                    + " = CASE WHEN e.type = $type AND e.properties = $properties THEN e."
                                    + Neo4jTenantVectors.MODEL_PROPERTY + " ELSE null END, "
                                    + "e.type = $type, e.properties = $properties, e.updatedAt = $now "
                                    + "SET e:$($entityLabel), e += $derived, "
                                    + "e.derivedVersion = $version RETURN " + ENTITY_FIELDS,
                            p)
                    .single());
        });
    }

    @Override
    public Optional<EntityDetails> details(String tenant, String id, int maxRelations) {
        Map<String, Object> p = Map.of("tenant", tenant, "id", id, "max", maxRelations);
        List<Record> rows = graph.read(tx -> tx.run(
                        "MATCH (e:Entity {tenant: $tenant, id: $id}) "
                                + "OPTIONAL MATCH (e)-[r]-(o:Entity {tenant: $tenant}) "
                                + "WITH e, r, o ORDER BY type(r), o.id LIMIT $max "
                                + "RETURN " + ENTITY_FIELDS
                                + ", collect(CASE WHEN r IS NULL THEN null ELSE {type: type(r), "
                                + "direction: CASE WHEN startNode(r) = e THEN 'out' ELSE 'in' END, otherId: o.id, otherType: o.type, "
                                + "properties: r.properties} END) AS relations",
                        p)
                .list());
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Record row = rows.get(0);
        List<EntityDetails.Relation> relations = new ArrayList<>();
        for (Value r : row.get("relations").values()) {
            relations.add(new EntityDetails.Relation(
                    text(r.get("type")),
                    text(r.get("direction")),
                    text(r.get("otherId")),
                    text(r.get("otherType")),
                    orEmpty(text(r.get("properties")))));
        }
        return Optional.of(new EntityDetails(toEntity(row), List.copyOf(relations)));
    }

    @Override
    public List<Entity> list(String tenant, String type, int limit, String afterId) {
        Map<String, Object> p = new HashMap<>();
        p.put("tenant", tenant);
        p.put("type", type);
        p.put("limit", limit);
        p.put("after", afterId);
        return graph.read(tx -> tx.run(LIST, p).list(Neo4jEntityGraph::toEntity));
    }

    /**
     * {@link #list}'s statement. {@code e.id IS NOT NULL} (every entity has an id: it is merged on {@code tenant} and
     * {@code id}, and a MERGE refuses a null property) lets Neo4j seek the {@code devloop_entity_key} index
     * {@code Entity(tenant, id)}; without it the plan was a {@code NodeByLabelScan} of every tenant's {@code Entity}
     * nodes (no index holds {@code tenant} alone; stop 38, part 3).
     */
    static final String LIST = "MATCH (e:Entity {tenant: $tenant}) WHERE e.id IS NOT NULL "
            + "AND ($type IS NULL OR e.type = $type) AND ($after IS NULL OR e.id > $after) "
            + "RETURN " + ENTITY_FIELDS + " ORDER BY e.id LIMIT $limit";

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
            List<Record> existing = tx.run(
                            "MATCH (:Entity {tenant: $tenant, id: $from})-[r:`" + rel + "`]->"
                                    + "(:Entity {tenant: $tenant, id: $to}) RETURN r.properties AS properties",
                            p)
                    .list();
            String current = existing.isEmpty() ? null : text(existing.get(0).get("properties"));
            p.put("properties", merge(current, propertiesJson));
            Record row = tx.run(
                            "MATCH (a:Entity {tenant: $tenant, id: $from}), (b:Entity {tenant: $tenant, id: $to}) "
                                    + "MERGE (a)-[r:`" + rel
                                    + "`]->(b) SET r.tenant = $tenant, r.properties = $properties "
                                    + "RETURN r.properties AS properties",
                            p)
                    .single();
            return new Relationship(tenant, from, to, type, text(row.get("properties")));
        });
    }

    @Override
    public List<Relationship> relationships(String tenant, String type, int limit, List<String> after) {
        String pattern = type == null ? "[r]" : "[r:`" + safeType(type) + "`]";
        Map<String, Object> p = new HashMap<>(Map.of("tenant", tenant, "limit", limit));
        String keyset = "";
        if (after != null) {
            p.put("aFrom", after.get(0));
            p.put("aType", after.get(1));
            p.put("aTo", after.get(2));
            keyset = RELATIONSHIPS_AFTER;
        }
        String query = relationshipsStatement(pattern, keyset);
        return graph.read(tx -> tx.run(query, p).list(r -> toRelationship(tenant, r)));
    }

    /** {@link #relationships}'s keyset condition: the rows after {@code ($aFrom, $aType, $aTo)}. */
    static final String RELATIONSHIPS_AFTER =
            "AND (a.id > $aFrom OR (a.id = $aFrom AND (type(r) > $aType OR (type(r) = $aType AND b.id > $aTo)))) ";

    /**
     * {@link #relationships}'s statement for a relationship {@code pattern} ({@code [r]} or {@code [r:`TYPE`]}) and
     * keyset condition ({@code ""} or {@link #RELATIONSHIPS_AFTER}). {@code a.id IS NOT NULL} (every entity has an id)
     * makes the {@code Entity(tenant, id)} index usable for the start node, and the hint makes Neo4j seek it: the first
     * page was planned as a {@code NodeByLabelScan} of every tenant's entities ({@code [r]}) or, typed, a
     * {@code DirectedRelationshipTypeScan} of every tenant's relationships of the type, which the predicate alone did
     * not change while the type is rare (stop 38, part 3).
     */
    static String relationshipsStatement(String pattern, String keyset) {
        return "MATCH (a:Entity {tenant: $tenant})-" + pattern + "->(b:Entity {tenant: $tenant}) "
                + "USING INDEX a:Entity(tenant, id) WHERE a.id IS NOT NULL " + keyset
                + "RETURN a.id AS from, b.id AS to, type(r) AS type, r.properties AS properties "
                + "ORDER BY from, type, to LIMIT $limit";
    }

    @Override
    public Optional<Neighbourhood> neighbourhood(String tenant, String id, int depth, int maxEntities) {
        Map<String, Object> p = Map.of("tenant", tenant, "id", id, "max", maxEntities);
        return graph.read(tx -> {
            List<Record> rows = tx.run(
                            "MATCH (c:Entity {tenant: $tenant, id: $id}) "
                                    + "OPTIONAL MATCH path = (c)-[*1.." + Math.max(1, depth) + "]-(n:Entity) "
                                    + "WHERE n <> c AND all(x IN nodes(path) WHERE x:Entity AND x.tenant = $tenant) "
                                    + "WITH c, n, min(length(path)) AS distance ORDER BY distance, n.id LIMIT $max "
                                    + "RETURN c.id AS centre, n.id AS id, n.type AS type, distance",
                            p)
                    .list();
            if (rows.isEmpty()) {
                return Optional.<Neighbourhood>empty();
            }
            List<Neighbourhood.Neighbour> entities = new ArrayList<>();
            List<String> ids = new ArrayList<>(List.of(id));
            for (Record row : rows) {
                if (!row.get("id").isNull()) {
                    entities.add(new Neighbourhood.Neighbour(
                            row.get("id").asString(),
                            text(row.get("type")),
                            row.get("distance").asInt()));
                    ids.add(row.get("id").asString());
                }
            }
            Map<String, Object> q = Map.of("tenant", tenant, "ids", ids, "max", maxEntities * 4);
            List<Relationship> edges = tx.run(
                            "MATCH (a:Entity {tenant: $tenant})-[r]->(b:Entity {tenant: $tenant}) "
                                    + "WHERE a.id IN $ids AND b.id IN $ids RETURN a.id AS from, b.id AS to, type(r) AS type, "
                                    + "r.properties AS properties ORDER BY from, type, to LIMIT $max",
                            q)
                    .list(r -> toRelationship(tenant, r));
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
        p.put("model", vectors.model());
        Neo4jTenantVectors.Kind entity = Neo4jTenantVectors.Kind.ENTITY;
        // only a tenant routed to the shared index (its marker read in this transaction) labels the entity for it
        boolean shared = graph.write(tx -> tx.run(
                        "MATCH (e:Entity {tenant: $tenant, id: $id}) "
                                + "WHERE e.type = $type AND e.properties = $properties SET e.embedding = $vector, e."
                                + Neo4jTenantVectors.MODEL_PROPERTY + " = $model WITH e "
                                + Neo4jTenantVectors.readShared(entity, "e")
                                + Neo4jTenantVectors.labelIfShared(entity, "e") + "RETURN shared",
                        p)
                .list(r -> r.get("shared").asBoolean())
                .contains(true));
        vectors.afterWrite(entity, tenant, -1, shared);
    }

    /**
     * The {@code p_<key>} node properties derived from an entity's properties (a JSON object): each top-level
     * string, number or boolean is copied; any other value (object, array, null) maps to null, which removes a
     * copy an earlier scalar value left.
     */
    Map<String, Object> derived(String propertiesJson) {
        Map<String, Object> out = new HashMap<>();
        try {
            JsonNode node = json.readTree(propertiesJson);
            node.fields().forEachRemaining(f -> out.put(PROPERTY_PREFIX + f.getKey(), scalar(f.getValue())));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("properties are not JSON", e);
        }
        return out;
    }

    private static Object scalar(JsonNode v) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        return null;
    }

    @Override
    public List<Entity> unembedded(int limit) {
        return graph.read(tx -> tx.run(
                        "MATCH (e:Entity) WHERE e.type IS NOT NULL AND e.embedding IS NULL " + "RETURN " + ENTITY_FIELDS
                                + " LIMIT $limit",
                        Map.of("limit", limit))
                .list(Neo4jEntityGraph::toEntity));
    }

    /** Embedded entities whose vector is not of {@code $model}: untagged or of another model. */
    private static final String STALE = "e.embedding IS NOT NULL AND (e." + Neo4jTenantVectors.MODEL_PROPERTY
            + " IS NULL OR e." + Neo4jTenantVectors.MODEL_PROPERTY + " <> $model) "
            + "AND (size($tenants) = 0 OR e.tenant IN $tenants)";

    @Override
    public List<Entity> staleEmbedded(List<String> tenants, int limit) {
        return graph.read(tx -> tx.run(
                        "MATCH (e:Entity) WHERE e.type IS NOT NULL AND " + STALE + " RETURN " + ENTITY_FIELDS
                                + " ORDER BY e.tenant, e.id LIMIT $limit",
                        Map.of("limit", limit, "model", vectors.model(), "tenants", tenants))
                .list(Neo4jEntityGraph::toEntity));
    }

    @Override
    public Map<String, Long> staleEntityCounts(List<String> tenants) {
        Map<String, Long> counts = new HashMap<>();
        graph.read(tx -> tx.run(
                                "MATCH (e:Entity) WHERE e.type IS NOT NULL AND " + STALE + " RETURN coalesce(e."
                                        + Neo4jTenantVectors.MODEL_PROPERTY + ", 'none') AS model, count(*) AS n",
                                Map.of("model", vectors.model(), "tenants", tenants))
                        .list())
                .forEach(r -> counts.put(r.get("model").asString(), r.get("n").asLong()));
        return counts;
    }

    @Override
    public Optional<float[]> embedding(String tenant, String id) {
        Map<String, Object> p = Map.of("tenant", tenant, "id", id, "model", vectors.model());
        List<Record> rows = graph.read(tx -> tx.run(
                        "MATCH (e:Entity {tenant: $tenant, id: $id}) WHERE e.embedding IS NOT NULL AND e."
                                + Neo4jTenantVectors.MODEL_PROPERTY + " = $model RETURN e.embedding AS embedding",
                        p)
                .list());
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
     * Routed like chunk search ({@link Neo4jTenantVectors}): a tenant with few typed entities is scanned exactly; a
     * large one is searched in its own entity vector index (exactly while it populates); without one (cap reached), the
     * shared index (merged with an exact scan of the tenant's entities not labelled for it) is asked for
     * {@code (limit + 1) × over-fetch-factor} candidates. An index that leaves too few hits after the tenant, type,
     * exclusion and property filters is widened once to the cap, then the tenant's embedded entities are scanned
     * exactly (bounded).
     */
    @Override
    public List<ScoredEntity> nearest(
            String tenant, float[] vector, String type, String excludeId, int limit, List<PropertyFilter> filters) {
        Map<String, Object> p = new HashMap<>();
        p.put("tenant", tenant);
        p.put("vector", list(vector));
        p.put("type", type);
        p.put("exclude", excludeId);
        p.put("limit", limit);
        p.put(
                "filters",
                filters.stream()
                        .map(f -> Map.of("key", f.key(), "values", f.values()))
                        .toList());
        p.put("maxScan", search.exactScanMaxChunks());
        p.put("model", vectors.model());
        try {
            return graph.read(tx -> nearest(tx, tenant, limit, p));
        } catch (RuntimeException e) {
            if (!vectors.aboutIndex(e, Neo4jTenantVectors.Kind.ENTITY, tenant)) {
                throw e;
            }
            vectors.forget(Neo4jTenantVectors.Kind.ENTITY, tenant);
            return graph.read(tx -> nearest(tx, tenant, limit, p));
        }
    }

    /** {@link #nearest}'s filter of a candidate entity {@code e}. */
    private static final String NEAREST_WHERE = "e.tenant = $tenant AND e." + Neo4jTenantVectors.MODEL_PROPERTY
            + " = $model AND ($type IS NULL OR e.type = $type) "
            + "AND ($exclude IS NULL OR e.id <> $exclude) "
            + "AND " + PROPERTY_FILTER;

    private static final String NEAREST_FIELDS =
            "RETURN " + ENTITY_FIELDS + ", score ORDER BY score DESC, e.id LIMIT $limit";

    /**
     * {@link #nearest}'s exact scan of the tenant's embedded entities (bounded by {@code $maxScan}). {@code e.type IS
     * NOT NULL} (every embedded entity has a type: {@link #embed} matches on it) lets Neo4j seek the
     * {@code Entity(tenant, type)} index; without it the plan was a scan of every tenant's {@code Entity} nodes
     * ({@code NodeByLabelScan}: no index holds {@code tenant} alone).
     */
    static final String NEAREST_EXACT = "MATCH (e:Entity {tenant: $tenant}) WHERE e.type IS NOT NULL AND "
            + "e.embedding IS NOT NULL AND " + NEAREST_WHERE
            + " WITH e LIMIT $maxScan WITH e, vector.similarity.cosine(e.embedding, $vector) AS score "
            + NEAREST_FIELDS;

    private List<ScoredEntity> nearest(TransactionContext tx, String tenant, int limit, Map<String, Object> p) {
        Neo4jTenantVectors.Route route = vectors.route(tx, Neo4jTenantVectors.Kind.ENTITY, tenant);
        if (route == Neo4jTenantVectors.Route.EXACT) {
            vectors.searched(Neo4jTenantVectors.Kind.ENTITY, route, false);
            return tx.run(NEAREST_EXACT, p).list(this::scored);
        }
        String index = route == Neo4jTenantVectors.Route.TENANT_INDEX
                ? Neo4jTenantVectors.indexName(Neo4jTenantVectors.Kind.ENTITY, tenant)
                : Neo4jGraph.ENTITY_VECTOR_INDEX;
        // over-fetch on the own index too: the candidate count is also the HNSW search breadth (recall)
        int candidates = Math.min(search.maxIndexCandidates(), (limit + 1) * search.overFetchFactor());
        p.put("candidates", candidates);
        // the index name is a procedure argument: one statement text for the shared index and every tenant's own
        p.put("index", index);
        String indexQuery =
                "CALL db.index.vector.queryNodes($index, $candidates, $vector) YIELD node AS e, score WHERE "
                        + NEAREST_WHERE + " " + NEAREST_FIELDS;
        List<ScoredEntity> hits = tx.run(indexQuery, p).list(this::scored);
        if (hits.size() < limit && candidates < search.maxIndexCandidates()) {
            p.put("candidates", search.maxIndexCandidates());
            hits = tx.run(indexQuery, p).list(this::scored);
        }
        if (route == Neo4jTenantVectors.Route.SHARED) {
            // the tenant's entities not in the shared index (a write that raced its routing, or older): scanned exactly
            List<ScoredEntity> unlabelled = tx.run(
                            Neo4jTenantVectors.unlabelled(Neo4jTenantVectors.Kind.ENTITY, tenant, "e")
                                    + "AND e.embedding IS NOT NULL AND " + NEAREST_WHERE
                                    + " WITH e LIMIT $maxScan WITH e, vector.similarity.cosine(e.embedding, $vector) "
                                    + "AS score " + NEAREST_FIELDS,
                            p)
                    .list(this::scored);
            if (!unlabelled.isEmpty()) {
                List<ScoredEntity> merged = new ArrayList<>(hits);
                merged.addAll(unlabelled);
                merged.sort(java.util.Comparator.comparingDouble(ScoredEntity::score)
                        .reversed()
                        .thenComparing(h -> h.entity().id()));
                hits = merged.subList(0, Math.min(limit, merged.size()));
            }
        }
        if (hits.size() >= limit) {
            vectors.searched(Neo4jTenantVectors.Kind.ENTITY, route, false);
            return hits;
        }
        vectors.searched(Neo4jTenantVectors.Kind.ENTITY, route, true);
        return tx.run(NEAREST_EXACT, p).list(this::scored);
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
        return new Relationship(
                tenant,
                r.get("from").asString(),
                r.get("to").asString(),
                r.get("type").asString(),
                orEmpty(text(r.get("properties"))));
    }

    private static Entity toEntity(Record r) {
        Value updated = r.get("updatedAt");
        return new Entity(
                r.get("tenant").asString(),
                r.get("id").asString(),
                text(r.get("type")),
                orEmpty(text(r.get("properties"))),
                updated.isNull() ? null : Instant.ofEpochMilli(updated.asLong()));
    }

    private static String orEmpty(String properties) {
        return properties == null ? "{}" : properties;
    }

    private static String text(Value v) {
        return v == null || v.isNull() ? null : v.asString();
    }
}
