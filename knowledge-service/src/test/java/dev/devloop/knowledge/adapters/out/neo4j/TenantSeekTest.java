package dev.devloop.knowledge.adapters.out.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.domain.Entity;
import dev.devloop.knowledge.domain.FactKey;
import dev.devloop.knowledge.domain.Relationship;
import dev.devloop.knowledge.domain.StoredFact;
import dev.devloop.knowledge.domain.Tier;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.summary.Plan;

/**
 * Stop 38, part 3: the reads of one tenant's data that were planned as a scan of every tenant's nodes or relationships
 * ({@code NodeByLabelScan}, {@code DirectedRelationshipTypeScan}) seek an index now — the entity listing and the
 * relationship listing ({@code Entity(tenant, id)}), the fact listing ({@code Fact(tenant, entity, attribute)}) and the
 * milestone's done features ({@code RoadmapNode(tenant, id)}). On the real Neo4j: each fixed statement's plan seeks the
 * index and scans nothing, and it returns the same rows as the statement it replaced, for a tenant next to another
 * tenant's data of the same shape (which neither returns).
 */
@QuarkusTest
class TenantSeekTest {
    private static final List<String> SCANS = List.of(
            "AllNodesScan",
            "NodeByLabelScan",
            "NodeIndexScan",
            "DirectedRelationshipTypeScan",
            "UndirectedRelationshipTypeScan",
            "DirectedAllRelationshipsScan",
            "UndirectedAllRelationshipsScan");

    /** The statements before this change, for the same-rows checks. */
    static final String OLD_ENTITY_LIST = Neo4jEntityGraph.LIST.replace("WHERE e.id IS NOT NULL AND ", "WHERE ");

    /** {@code relationships}' statement before this change (its keyset condition was the whole WHERE). */
    static String oldRelationships(String pattern, boolean after) {
        return "MATCH (a:Entity {tenant: $tenant})-" + pattern + "->(b:Entity {tenant: $tenant}) "
                + (after
                        ? "WHERE a.id > $aFrom OR (a.id = $aFrom AND (type(r) > $aType OR (type(r) = $aType AND "
                                + "b.id > $aTo))) "
                        : "")
                + "RETURN a.id AS from, b.id AS to, type(r) AS type, r.properties AS properties "
                + "ORDER BY from, type, to LIMIT $limit";
    }

    static final String OLD_FACT_LIST = Neo4jFactStore.LIST.replace("WHERE f.attribute IS NOT NULL AND ", "WHERE ");
    static final String OLD_DONE_FEATURES =
            Neo4jRoadmapTx.DONE_FEATURES.replace("(m:RoadmapNode:Milestone ", "(m:Milestone ");

    @Inject
    Neo4jGraph graph;

    @Inject
    ObjectMapper json;

    @Inject
    KnowledgeConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    Driver neo4j;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String tenant = "ts38-" + run + "-a";
    private final String other = "ts38-" + run + "-b";
    private Neo4jEntityGraph entities;
    private Neo4jFactStore facts;

    @BeforeEach
    void setUp() {
        Neo4jTenantVectors vectors = new Neo4jTenantVectors(
                graph,
                new Neo4jTenantVectors.Settings(
                        1000,
                        1000,
                        Duration.ofSeconds(60),
                        384,
                        config.embeddings().localModel()),
                registry);
        entities = new Neo4jEntityGraph(graph, json, config, vectors);
        facts = new Neo4jFactStore(graph);
        Instant now = Instant.now();
        for (String t : List.of(tenant, other)) {
            for (int i = 0; i < 6; i++) {
                entities.upsert(t, "svc-" + i, i % 2 == 0 ? "service" : "team", "{\"n\":" + i + "}", now);
            }
            entities.relate(t, "svc-0", "svc-1", "OWNED_BY", "{}");
            entities.relate(t, "svc-0", "svc-2", "CALLS", "{}");
            entities.relate(t, "svc-2", "svc-3", "OWNED_BY", "{\"since\":2024}");
            entities.relate(t, "svc-4", "svc-0", "CALLS", "{}");
            for (String attribute : List.of("owner", "tier", "region")) {
                facts.save(new StoredFact(
                        new FactKey(t, "svc-0", attribute), "\"" + attribute + "-" + t + "\"", Tier.LONG, null, now));
            }
            // an expired fact: neither listing returns it
            facts.save(new StoredFact(
                    new FactKey(t, "svc-0", "old"), "\"x\"", Tier.LONG, now.minusSeconds(30), now.minusSeconds(60)));
            try (var s = neo4j.session()) {
                s.run(
                                "CREATE (m:RoadmapNode:Milestone {tenant: $t, id: 'm1', level: 'milestone', name: $t}) "
                                        + "CREATE (p:RoadmapNode:Phase {tenant: $t, id: 'p1', level: 'phase', name: 'p'}) "
                                        + "CREATE (o:RoadmapNode:Module {tenant: $t, id: 'o1', level: 'module', name: 'o'}) "
                                        + "CREATE (m)-[:CONTAINS]->(p)-[:CONTAINS]->(o) "
                                        + "WITH o UNWIND range(1, 3) AS i "
                                        + "CREATE (o)-[:CONTAINS]->(:RoadmapNode:Feature {tenant: $t, id: 'f' + i, "
                                        + "level: 'feature', name: 'f' + i, status: CASE WHEN i < 3 THEN 'done' ELSE "
                                        + "'planned' END})",
                                Map.of("t", t))
                        .consume();
            }
        }
    }

    @AfterEach
    void cleanUp() {
        try (var s = neo4j.session()) {
            for (String t : List.of(tenant, other)) {
                s.run("MATCH (n) WHERE n.tenant = $t DETACH DELETE n", Map.of("t", t))
                        .consume();
            }
        }
    }

    @Test
    void theEntityListingSeeksTheEntityKeyAndListsTheSameEntities() {
        assertSeeks(Neo4jEntityGraph.LIST, listParameters(null, null), "Entity(tenant, id)");
        for (String type : new String[] {null, "service"}) {
            for (String after : new String[] {null, "svc-1"}) {
                Map<String, Object> p = listParameters(type, after);
                List<String> before = rows(OLD_ENTITY_LIST, p, "id");
                assertThat(rows(Neo4jEntityGraph.LIST, p, "id")).isNotEmpty().isEqualTo(before);
            }
        }
        assertThat(entities.list(tenant, "service", 10, "svc-0"))
                .extracting(Entity::tenant, Entity::id)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(tenant, "svc-2"),
                        org.assertj.core.groups.Tuple.tuple(tenant, "svc-4"));
    }

    @Test
    void theRelationshipListingSeeksTheEntityKeyAndListsTheSameRelationships() {
        Map<String, Object> p = new HashMap<>(Map.of("tenant", tenant, "limit", 10));
        p.put("aFrom", "svc-0");
        p.put("aType", "CALLS");
        p.put("aTo", "svc-2");
        for (String pattern : List.of("[r]", "[r:`OWNED_BY`]")) {
            for (String keyset : List.of("", Neo4jEntityGraph.RELATIONSHIPS_AFTER)) {
                String statement = Neo4jEntityGraph.relationshipsStatement(pattern, keyset);
                assertSeeks(statement, p, "Entity(tenant, id)");
                List<String> before = rows(oldRelationships(pattern, !keyset.isEmpty()), p, "from", "type", "to");
                assertThat(rows(statement, p, "from", "type", "to"))
                        .as("%s %s", pattern, keyset)
                        .isNotEmpty()
                        .isEqualTo(before);
            }
        }
        assertThat(entities.relationships(tenant, null, 10, null))
                .extracting(Relationship::tenant, Relationship::from, Relationship::type, Relationship::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(tenant, "svc-0", "CALLS", "svc-2"),
                        org.assertj.core.groups.Tuple.tuple(tenant, "svc-0", "OWNED_BY", "svc-1"),
                        org.assertj.core.groups.Tuple.tuple(tenant, "svc-2", "OWNED_BY", "svc-3"),
                        org.assertj.core.groups.Tuple.tuple(tenant, "svc-4", "CALLS", "svc-0"));
        assertThat(entities.relationships(tenant, "OWNED_BY", 10, List.of("svc-0", "OWNED_BY", "svc-1")))
                .extracting(Relationship::from, Relationship::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("svc-2", "svc-3"));
    }

    @Test
    void theFactListingSeeksTheFactKeyAndListsTheSameFacts() {
        Map<String, Object> p =
                Map.of("tenant", tenant, "entity", "svc-0", "now", Instant.now().toEpochMilli(), "limit", 10);
        assertSeeks(Neo4jFactStore.LIST, p, "Fact(tenant, entity, attribute)");
        List<String> before = rows(OLD_FACT_LIST, p, "attribute", "value");
        assertThat(rows(Neo4jFactStore.LIST, p, "attribute", "value"))
                .isNotEmpty()
                .isEqualTo(before);
        assertThat(facts.list(tenant, "svc-0", Instant.now(), 10))
                .extracting(f -> f.key().attribute(), StoredFact::valueJson)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("owner", "\"owner-" + tenant + "\""),
                        org.assertj.core.groups.Tuple.tuple("region", "\"region-" + tenant + "\""),
                        org.assertj.core.groups.Tuple.tuple("tier", "\"tier-" + tenant + "\""));
    }

    @Test
    void theMilestonesDoneFeaturesSeekTheRoadmapNodeKeyAndAreTheSame() {
        for (String id : List.of("m1", "p1", "missing")) {
            Map<String, Object> p = Map.of("t", tenant, "id", id, "max", 10);
            assertSeeks(Neo4jRoadmapTx.DONE_FEATURES, p, "RoadmapNode(tenant, id)");
            List<String> before = doneFeatures(OLD_DONE_FEATURES, p);
            assertThat(doneFeatures(Neo4jRoadmapTx.DONE_FEATURES, p)).isEqualTo(before);
        }
        assertThat(doneFeatures(Neo4jRoadmapTx.DONE_FEATURES, Map.of("t", tenant, "id", "m1", "max", 10)))
                .containsExactly(tenant + ":f1,f2");
    }

    private Map<String, Object> listParameters(String type, String after) {
        Map<String, Object> p = new HashMap<>();
        p.put("tenant", tenant);
        p.put("type", type);
        p.put("after", after);
        p.put("limit", 10);
        return p;
    }

    private List<String> doneFeatures(String statement, Map<String, Object> p) {
        try (var s = neo4j.session()) {
            return s.run(statement, p)
                    .list(r -> r.get("milestone").asString() + ":"
                            + String.join(",", r.get("features").asList(f -> f.asNode()
                                    .get("id")
                                    .asString())));
        }
    }

    private List<String> rows(String statement, Map<String, Object> p, String... fields) {
        try (var s = neo4j.session()) {
            return s.run(statement, p).list((Record r) -> {
                List<String> values = new ArrayList<>();
                for (String f : fields) {
                    values.add(r.get(f).isNull() ? "null" : r.get(f).toString());
                }
                return String.join("|", values);
            });
        }
    }

    private void assertSeeks(String statement, Map<String, Object> p, String index) {
        assertThat(statement).doesNotContain(tenant).doesNotContain(other);
        try (var s = neo4j.session()) {
            Plan plan = s.run("EXPLAIN " + statement, p).consume().plan();
            List<String> operators = new ArrayList<>();
            List<String> details = new ArrayList<>();
            walk(plan, operators, details);
            assertThat(operators).as(statement).contains("NodeUniqueIndexSeek").doesNotContainAnyElementsOf(SCANS);
            assertThat(details).as(statement).anySatisfy(d -> assertThat(d).contains(index));
        }
    }

    private static void walk(Plan plan, List<String> operators, List<String> details) {
        operators.add(plan.operatorType().replace("@neo4j", ""));
        if (plan.arguments().containsKey("Details")) {
            details.add(plan.arguments().get("Details").asString());
        }
        for (Plan child : plan.children()) {
            walk(child, operators, details);
        }
    }
}
