package dev.devloop.knowledge.adapters.out.neo4j;

import dev.devloop.knowledge.domain.FactKey;
import dev.devloop.knowledge.domain.StoredFact;
import dev.devloop.knowledge.domain.Tier;
import dev.devloop.knowledge.ports.out.ExpiredFactsPort;
import dev.devloop.knowledge.ports.out.FactTierPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;

/**
 * Long-term facts in Neo4j as {@code (:Entity {tenant,id})-[:HAS {attribute}]->(:Fact {tenant, entity,
 * attribute, value, updatedAt, expiresAt})}: one Fact node per key (unique constraint), so a rewrite
 * replaces the value in place and no value node is shared across entities or tenants. Times are epoch
 * milliseconds; {@code value} is the JSON text.
 */
@ApplicationScoped
public class Neo4jFactStore implements FactTierPort, ExpiredFactsPort {
    private static final String UNEXPIRED = "(f.expiresAt IS NULL OR f.expiresAt > $now)";
    private static final String FIELDS =
            "f.tenant AS tenant, f.entity AS entity, f.attribute AS attribute, f.value AS value, "
                    + "f.expiresAt AS expiresAt, f.updatedAt AS updatedAt";

    private final Neo4jGraph graph;

    public Neo4jFactStore(Neo4jGraph graph) {
        this.graph = graph;
    }

    @Override
    public Tier tier() {
        return Tier.LONG;
    }

    @Override
    public void save(StoredFact fact) {
        Map<String, Object> params = keyParams(fact.key());
        params.put("value", fact.valueJson());
        params.put("updatedAt", fact.updatedAt().toEpochMilli());
        params.put(
                "expiresAt", fact.expiresAt() == null ? null : fact.expiresAt().toEpochMilli());
        graph.write(tx -> tx.run(
                        "MERGE (e:Entity {tenant: $tenant, id: $entity}) "
                                + "MERGE (f:Fact {tenant: $tenant, entity: $entity, attribute: $attribute}) "
                                + "SET f.value = $value, f.updatedAt = $updatedAt, f.expiresAt = $expiresAt "
                                + "MERGE (e)-[:HAS {attribute: $attribute}]->(f)",
                        params)
                .consume());
    }

    @Override
    public Optional<StoredFact> find(FactKey key, Instant now) {
        Map<String, Object> params = keyParams(key);
        params.put("now", now.toEpochMilli());
        List<Record> rows = graph.read(tx -> tx.run(
                        "MATCH (f:Fact {tenant: $tenant, entity: $entity, attribute: $attribute}) WHERE " + UNEXPIRED
                                + " RETURN " + FIELDS,
                        params)
                .list());
        return rows.stream().findFirst().map(Neo4jFactStore::toFact);
    }

    @Override
    public boolean delete(FactKey key) {
        long deleted = graph.write(tx -> tx.run(
                        "MATCH (f:Fact {tenant: $tenant, entity: $entity, attribute: $attribute}) "
                                + "DETACH DELETE f RETURN count(f) AS deleted",
                        keyParams(key))
                .single()
                .get("deleted")
                .asLong());
        return deleted > 0;
    }

    @Override
    public List<StoredFact> list(String tenant, String entity, Instant now, int limit) {
        Map<String, Object> params =
                Map.of("tenant", tenant, "entity", entity, "now", now.toEpochMilli(), "limit", limit);
        return graph.read(tx -> tx.run(LIST, params).list(Neo4jFactStore::toFact));
    }

    /**
     * {@link #list}'s statement. {@code f.attribute IS NOT NULL} (every fact has one: it is merged on it) lets Neo4j
     * seek the {@code devloop_fact_key} index {@code Fact(tenant, entity, attribute)}; without it the plan was a
     * {@code NodeByLabelScan} of every tenant's facts (a composite index needs a predicate on each of its properties;
     * stop 38, part 3).
     */
    static final String LIST = "MATCH (f:Fact {tenant: $tenant, entity: $entity}) WHERE f.attribute IS NOT NULL AND "
            + UNEXPIRED + " RETURN " + FIELDS + " ORDER BY f.attribute LIMIT $limit";

    @Override
    public int deleteExpired(Instant now, int limit) {
        Map<String, Object> params = Map.of("now", now.toEpochMilli(), "limit", limit);
        return graph.write(tx -> tx.run(
                        "MATCH (f:Fact) WHERE f.expiresAt <= $now WITH f LIMIT $limit DETACH DELETE f RETURN count(f) AS deleted",
                        params)
                .single()
                .get("deleted")
                .asInt());
    }

    private static Map<String, Object> keyParams(FactKey key) {
        Map<String, Object> params = new HashMap<>();
        params.put("tenant", key.tenant());
        params.put("entity", key.entity());
        params.put("attribute", key.attribute());
        return params;
    }

    private static StoredFact toFact(Record row) {
        Value expires = row.get("expiresAt");
        return new StoredFact(
                new FactKey(
                        row.get("tenant").asString(),
                        row.get("entity").asString(),
                        row.get("attribute").asString()),
                row.get("value").asString(),
                Tier.LONG,
                expires.isNull() ? null : Instant.ofEpochMilli(expires.asLong()),
                Instant.ofEpochMilli(row.get("updatedAt").asLong()));
    }
}
