package dev.devloop.knowledge.adapters.out.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.domain.FactKey;
import dev.devloop.knowledge.domain.ScoredEntity;
import dev.devloop.knowledge.domain.StoredFact;
import dev.devloop.knowledge.domain.Tier;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.summary.Plan;

/**
 * Stop 38, part 2: the entity search's routing count has one text for every tenant
 * ({@link Neo4jTenantVectors#BOUNDED_ENTITY_COUNT}, a bounded seek of the {@code Entity(tenant, type)} index) and
 * falls back to the label count only at or above the threshold. On the real Neo4j, with a threshold of 5: the plan
 * keeps the index, fact entities (no type) are not counted, tenants stay apart, and the route is the one the label
 * count alone gave, also for typed entities the migration has not labelled yet.
 */
@QuarkusTest
class EntityCountTest {
    private static final int DIMS = 384;
    private static final int THRESHOLD = 5;

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

    private final Random random = new Random(382);
    private final List<String> tenants = new ArrayList<>();
    private Neo4jTenantVectors vectors;
    private Neo4jEntityGraph entities;
    private Neo4jFactStore facts;

    @BeforeEach
    void setUp() {
        vectors = new Neo4jTenantVectors(
                graph,
                new Neo4jTenantVectors.Settings(
                        THRESHOLD,
                        1000,
                        Duration.ofSeconds(60),
                        DIMS,
                        config.embeddings().localModel()),
                registry);
        vectors.labelled();
        entities = new Neo4jEntityGraph(graph, json, config, vectors);
        facts = new Neo4jFactStore(graph);
    }

    @AfterEach
    void cleanUp() {
        try (var s = neo4j.session()) {
            for (String t : tenants) {
                s.run("MATCH (n) WHERE n.tenant = $t DETACH DELETE n", Map.of("t", t))
                        .consume();
                for (Neo4jTenantVectors.Kind kind : Neo4jTenantVectors.Kind.values()) {
                    s.run("DROP INDEX `" + Neo4jTenantVectors.indexName(kind, t) + "` IF EXISTS")
                            .consume();
                }
            }
        }
    }

    @Test
    void theCountHasOneTextAndSeeksTheEntityTypeIndex() {
        assertThat(Neo4jTenantVectors.BOUNDED_ENTITY_COUNT)
                .doesNotContain("TenantEntity_")
                .doesNotContain("`")
                .contains("LIMIT $exactBelow");
        try (var s = neo4j.session()) {
            Plan plan = s.run(
                            "EXPLAIN " + Neo4jTenantVectors.BOUNDED_ENTITY_COUNT + "RETURN n",
                            Map.of("tenant", "plan", "exactBelow", THRESHOLD))
                    .consume()
                    .plan();
            List<String> operators = new ArrayList<>();
            List<String> details = new ArrayList<>();
            walk(plan, operators, details);
            assertThat(operators)
                    .contains("NodeIndexSeek")
                    .doesNotContain("AllNodesScan", "NodeByLabelScan", "NodeIndexScan");
            assertThat(details).anySatisfy(d -> assertThat(d)
                    .contains("Entity(tenant, type)")
                    .contains("tenant = $tenant")
                    .contains("type IS NOT NULL"));
        }
    }

    @Test
    void theExactScanSeeksTheTenantsTypedEntities() {
        try (var s = neo4j.session()) {
            Map<String, Object> p = new java.util.HashMap<>();
            p.put("tenant", "plan");
            p.put("model", "m");
            p.put("type", null);
            p.put("exclude", null);
            p.put("filters", List.of());
            p.put("maxScan", 100);
            p.put("vector", List.of(1.0, 0.0));
            p.put("limit", 10);
            Plan plan = s.run("EXPLAIN " + Neo4jEntityGraph.NEAREST_EXACT, p)
                    .consume()
                    .plan();
            List<String> operators = new ArrayList<>();
            List<String> details = new ArrayList<>();
            walk(plan, operators, details);
            assertThat(operators).contains("NodeIndexSeek").doesNotContain("AllNodesScan", "NodeByLabelScan");
            assertThat(details).anySatisfy(d -> assertThat(d).contains("Entity(tenant, type)"));
        }
    }

    @Test
    void factEntitiesAreNotCountedAsTypedOnes() {
        String a = tenant("facts");
        float[] query = typed(a, 4);
        // ten entities the fact store created (no type, no tenant label), more than the threshold
        for (int i = 0; i < 10; i++) {
            facts.save(new StoredFact(
                    new FactKey(a, "fact-entity-" + i, "owner"), "\"team-" + i + "\"", Tier.LONG, null, Instant.now()));
        }
        assertThat(boundedCount(a)).isEqualTo(4);
        assertThat(labelCount(a)).isEqualTo(4);
        assertThat(route(a)).isEqualTo(Neo4jTenantVectors.Route.EXACT);
        double exact = searches("exact");
        List<ScoredEntity> hits = entities.nearest(a, query, null, null, 10, List.of());
        assertThat(searches("exact")).isEqualTo(exact + 1);
        assertThat(hits)
                .hasSize(4)
                .allSatisfy(h -> assertThat(h.entity().id()).startsWith("typed-"))
                .first()
                .satisfies(h -> assertThat(h.entity().id()).isEqualTo("typed-0"));

        // a fifth typed entity takes the tenant to the threshold: its own index, searched through it
        typed(a, 5);
        assertThat(boundedCount(a)).isEqualTo(THRESHOLD);
        assertThat(route(a)).isEqualTo(Neo4jTenantVectors.Route.TENANT_INDEX);
        double viaIndex = searches("tenant-index");
        assertThat(entities.nearest(a, query, null, null, 1, List.of()))
                .singleElement()
                .satisfies(h -> assertThat(h.entity().id()).isEqualTo("typed-0"));
        assertThat(searches("tenant-index")).isEqualTo(viaIndex + 1);
    }

    @Test
    void aLargeTenantDoesNotCountForASmallOne() {
        String small = tenant("iso-small");
        String large = tenant("iso-large");
        float[] query = typed(small, 2);
        typed(large, 8, query);
        assertThat(boundedCount(small)).isEqualTo(2);
        assertThat(boundedCount(large)).as("bounded at the threshold").isEqualTo(THRESHOLD);
        assertThat(route(small)).isEqualTo(Neo4jTenantVectors.Route.EXACT);
        assertThat(route(large)).isNotEqualTo(Neo4jTenantVectors.Route.EXACT);
        // the large tenant's entities have the query's own vector: only the tenant keeps them out of the small one's
        assertThat(entities.nearest(small, query, null, null, 10, List.of()))
                .hasSize(2)
                .allSatisfy(h -> assertThat(h.entity().tenant()).isEqualTo(small));
        assertThat(entities.nearest(large, query, null, null, 10, List.of()))
                .hasSize(8)
                .allSatisfy(h -> assertThat(h.entity().tenant()).isEqualTo(large));
    }

    @Test
    void unlabelledTypedEntitiesRouteAsTheLabelCountDid() {
        // typed entities the startup migration has not labelled yet: the typed count is at the threshold, the label
        // count is not, and the route follows the label count (the exact scan), as it did before
        String a = tenant("unlabelled");
        float[] query = typed(a, 6);
        try (var s = neo4j.session()) {
            s.run(
                            "MATCH (e:Entity {tenant: $t}) REMOVE e:"
                                    + Neo4jTenantVectors.label(Neo4jTenantVectors.Kind.ENTITY, a),
                            Map.of("t", a))
                    .consume();
            s.run("DROP INDEX `" + Neo4jTenantVectors.indexName(Neo4jTenantVectors.Kind.ENTITY, a) + "` IF EXISTS")
                    .consume();
        }
        // a fresh replica: nothing remembered about the tenant's index
        setUp();
        assertThat(boundedCount(a)).isEqualTo(THRESHOLD);
        assertThat(labelCount(a)).isZero();
        assertThat(route(a)).isEqualTo(Neo4jTenantVectors.Route.EXACT);
        assertThat(entities.nearest(a, query, null, null, 10, List.of())).hasSize(6);
    }

    private String tenant(String name) {
        String t = name + "-" + UUID.randomUUID();
        tenants.add(t);
        return t;
    }

    /** Upserts and embeds typed entities {@code typed-0 … typed-(n-1)} (existing ones kept); returns typed-0's vector. */
    private float[] typed(String tenant, int n) {
        return typed(tenant, n, null);
    }

    private float[] typed(String tenant, int n, float[] vector) {
        float[] first = null;
        for (int i = 0; i < n; i++) {
            String id = "typed-" + i;
            if (!entities.existing(tenant, List.of(id)).isEmpty()) {
                first = first == null ? entities.embedding(tenant, id).orElseThrow() : first;
                continue;
            }
            String properties = "{\"n\":" + i + "}";
            entities.upsert(tenant, id, "service", properties, Instant.now());
            float[] v = vector != null ? vector : unit();
            entities.embed(tenant, id, "service", properties, v);
            first = first == null ? v : first;
        }
        return first;
    }

    private long boundedCount(String tenant) {
        return graph.read(tx -> tx.run(
                        Neo4jTenantVectors.BOUNDED_ENTITY_COUNT + "RETURN n",
                        Map.of("tenant", tenant, "exactBelow", THRESHOLD))
                .single()
                .get("n")
                .asLong());
    }

    private long labelCount(String tenant) {
        return graph.read(tx -> tx.run("MATCH (x:" + Neo4jTenantVectors.label(Neo4jTenantVectors.Kind.ENTITY, tenant)
                        + ") RETURN count(x) AS n")
                .single()
                .get("n")
                .asLong());
    }

    private Neo4jTenantVectors.Route route(String tenant) {
        return graph.read(tx -> vectors.route(tx, Neo4jTenantVectors.Kind.ENTITY, tenant));
    }

    private double searches(String path) {
        return registry
                .find("devloop.knowledge.vector.searches")
                .tag("kind", "entity")
                .tag("path", path)
                .counters()
                .stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
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

    private float[] unit() {
        float[] v = new float[DIMS];
        double n = 0;
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) random.nextGaussian();
            n += v[i] * v[i];
        }
        for (int i = 0; i < DIMS; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }
}
