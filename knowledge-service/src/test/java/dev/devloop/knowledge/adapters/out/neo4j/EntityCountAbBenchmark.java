package dev.devloop.knowledge.adapters.out.neo4j;

import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.alternate;
import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.alternatePhases;
import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.detachDelete;
import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.detachDeleteInBatches;
import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.load;
import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.neo4jPid;
import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.printPhase;
import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.printPhases;
import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.printPlan;
import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.profileHits;
import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.timed;

import dev.devloop.knowledge.bench.ProbeRuns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.TransactionContext;

/**
 * Stop 38, part 2 A/B (not a test: surefire's includes match {@code *Test}, so {@code verify} never runs it): the entity
 * route's count with the tenant label inlined (A, {@code MATCH (x:`TenantEntity_<h>`) RETURN count(x) AS n}, the count
 * store: one statement text, hence one Neo4j plan, per tenant) against {@link Neo4jTenantVectors#BOUNDED_ENTITY_COUNT}
 * (B, the {@code Entity(tenant, type)} index bounded at the threshold: one text for all tenants). Driver only, against
 * the shared Neo4j. Each phase takes {@code bench.tenants} fresh tenants and writes {@code bench.entities} typed
 * entities per tenant (plus two fact entities without a type), each as the embed path does: one write transaction
 * (upsert with the dynamic label and the vector, the same text in A and B) followed by the routing count
 * ({@code Neo4jTenantVectors.ensureIndex}); then {@code bench.searches} entity searches per tenant, each one read
 * transaction of the routing count and {@link Neo4jEntityGraph#NEAREST_EXACT} (the exact route). Phases alternate
 * A B B A … ({@code bench.rounds} pairs) after {@code bench.warmups} (1) unreported A B pairs. Per phase: write and first/later search p50/p99, Neo4j's CPU seconds (C2 / C1
 * / rest), JIT ms, distinct statement texts, load averages. Then the count's cost on large tenants
 * ({@code bench.largeEntities}, default 999 and 1200 typed entities plus 300 fact entities): A against B as
 * {@code route} runs it (the bounded count, then the label count when not below the threshold), alternating. Nothing is
 * asserted; each phase's tenants are deleted after it is measured. Also the exact route's scan before and after it
 * got {@code e.type IS NOT NULL} (see {@link #exactScan}).
 *
 * <pre>
 * ./mvnw -B -o -pl knowledge-service test -Dtest=EntityCountAbBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench.tenants=40 -Dbench.entities=20 -Dbench.rounds=2
 * </pre>
 */
class EntityCountAbBenchmark {
    private static final String MODEL = "bench-model";
    private static final int EXACT_BELOW = 1000;

    /** The embed path's write, the same text in both variants (the entity label is a dynamic label since stop 38). */
    private static final String WRITE = "MERGE (e:Entity {tenant: $tenant, id: $id}) ON CREATE SET e.createdAt = $now "
            + "SET e.type = $type, e.properties = $properties, e.updatedAt = $now, e:$($entityLabel), "
            + "e.embedding = $vector, e." + Neo4jTenantVectors.MODEL_PROPERTY + " = $model";

    private final int tenants = Integer.getInteger("bench.tenants", 40);
    private final int entities = Integer.getInteger("bench.entities", 20);
    private final int searches = Integer.getInteger("bench.searches", 3);
    private final int rounds = Integer.getInteger("bench.rounds", 2);
    private final Random random = new Random(382);

    /** A: the label count, inlined (the text before this change). */
    static String labelCount(String tenant) {
        return "MATCH (x:" + Neo4jTenantVectors.label(Neo4jTenantVectors.Kind.ENTITY, tenant)
                + ") RETURN count(x) AS n";
    }

    /** B: the bounded count, one text. */
    static final String BOUNDED = Neo4jTenantVectors.BOUNDED_ENTITY_COUNT + "RETURN n";

    @Test
    void boundedEntityCountAgainstInlinedLabelCount() throws Exception {
        long pid = neo4jPid();
        try (Driver driver = NeoBenchSupport.driver()) {
            plans(driver);
            String run = UUID.randomUUID().toString().substring(0, 8);
            // warm-up (not reported): both variants once, so neither pays the first JIT of the whole path
            for (int w = 0; w < Integer.getInteger("bench.warmups", 1); w++) {
                phase(driver, pid, run + "-w" + w + "a", false);
                phase(driver, pid, run + "-w" + w + "b", true);
            }
            Map<Boolean, List<double[]>> phases =
                    alternatePhases(rounds, (suffix, bounded) -> phase(driver, pid, run + "-" + suffix, bounded));
            exactScan(driver, run);
            for (String size :
                    System.getProperty("bench.largeEntities", "999,1200").split(",")) {
                largeTenantCount(driver, run, Integer.parseInt(size.strip()));
            }
            printPhases(
                    "write+count p50 / p99 ms | first search p50 / p99 ms | later searches p50 / p99 ms",
                    3,
                    phases,
                    "A inlined",
                    "B bounded");
        }
    }

    /** One phase: fresh tenants, entity writes with their count, searches, measured; then its tenants deleted. */
    private double[] phase(Driver driver, long pid, String prefix, boolean bounded) throws Exception {
        List<String> names = NeoBenchSupport.tenants("ec38-" + prefix, tenants);
        NeoBenchSupport.Meter meter = new NeoBenchSupport.Meter(driver, pid);
        List<Double> writes = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        List<Double> later = new ArrayList<>();
        Set<String> texts = new HashSet<>();
        for (String tenant : names) {
            String count = bounded ? BOUNDED : labelCount(tenant);
            texts.add(WRITE);
            texts.add(count);
            try (Session s = driver.session()) {
                for (int f = 0; f < 2; f++) {
                    s.executeWrite(tx -> tx.run(
                                    "MERGE (e:Entity {tenant: $tenant, id: $id})",
                                    Map.of("tenant", tenant, "id", "fact-" + random.nextInt()))
                            .consume());
                }
            }
            for (int e = 0; e < entities; e++) {
                Map<String, Object> p = writeParameters(tenant, "svc-" + e);
                timed(driver, writes, s -> {
                    s.executeWrite(tx -> tx.run(WRITE, p).consume());
                    s.executeRead(tx -> count(tx, count, tenant));
                });
            }
        }
        texts.add(Neo4jEntityGraph.NEAREST_EXACT);
        for (int q = 0; q < searches; q++) {
            for (String tenant : names) {
                String count = bounded ? BOUNDED : labelCount(tenant);
                Map<String, Object> p = searchParameters(tenant);
                timed(
                        driver,
                        q == 0 ? first : later,
                        s -> s.executeRead(tx -> {
                            count(tx, count, tenant);
                            return tx.run(Neo4jEntityGraph.NEAREST_EXACT, p).list();
                        }));
            }
        }
        meter.stop();
        detachDelete(driver, "MATCH (n:Entity) WHERE n.tenant IN $tenants", Map.of("tenants", names));
        printPhase(
                prefix,
                bounded ? "B bounded" : "A inlined",
                writes.size(),
                first.size() + later.size(),
                texts.size(),
                String.format(Locale.ROOT, " (load %.2f → %.2f)", meter.loadBefore, meter.loadAfter));
        return meter.row(texts.size(), writes, first, later);
    }

    /** The routing count as {@code Neo4jTenantVectors.route} runs it: B's bounded count falls back to A's at the bound. */
    private static long count(TransactionContext tx, String statement, String tenant) {
        long n = tx.run(statement, Map.of("tenant", tenant, "exactBelow", EXACT_BELOW))
                .single()
                .get("n")
                .asLong();
        if (statement.equals(BOUNDED) && n >= EXACT_BELOW) {
            return tx.run(labelCount(tenant)).single().get("n").asLong();
        }
        return n;
    }

    /**
     * The count on a tenant of {@code typed} typed entities (labelled) and 300 fact entities: A (the count store)
     * against B as {@code route} runs it, alternating, {@code bench.countRounds} each (one read transaction each),
     * p50/p99 and PROFILE db hits.
     */
    private void largeTenantCount(Driver driver, String run, int typed) throws Exception {
        int countRounds = Integer.getInteger("bench.countRounds", 300);
        String tenant = "ec38-" + run + "-large-" + typed;
        String label = Neo4jTenantVectors.label(Neo4jTenantVectors.Kind.ENTITY, tenant);
        Map<String, Object> p = Map.of("tenant", tenant, "exactBelow", EXACT_BELOW, "n", typed);
        try (Session s = driver.session()) {
            s.executeWrite(tx -> tx.run(
                            "UNWIND range(1, $n) AS i CREATE (e:Entity:" + label
                                    + " {tenant: $tenant, id: 'svc-' + i, type: 'service'})",
                            p)
                    .consume());
            s.executeWrite(
                    tx -> tx.run("UNWIND range(1, 300) AS i CREATE (:Entity {tenant: $tenant, id: 'fact-' + i})", p)
                            .consume());
            String a = labelCount(tenant);
            double loadBefore = load();
            NeoBenchSupport.Ab<Long> ab =
                    alternate(countRounds, isA -> s.executeRead(tx -> count(tx, isA ? a : BOUNDED, tenant)));
            System.out.printf(
                    Locale.ROOT,
                    "tenant of %d typed + 300 fact entities, routing count: A count store n=%d %s; B bounded index "
                            + "count%s n=%d %s (bounded statement alone) (load %.2f → %.2f)%n",
                    typed,
                    ab.lastA(),
                    ab.statsA(profileHits(s, a, p)),
                    typed >= EXACT_BELOW ? " + count store" : "",
                    ab.lastB(),
                    ab.statsB(profileHits(s, BOUNDED, p)),
                    loadBefore,
                    load());
            detachDelete(s, "MATCH (n:Entity {tenant: $tenant})", p);
        }
    }

    /**
     * The exact route's scan of a small tenant ({@code bench.entities} embedded entities) next to
     * {@code bench.otherEntities} (default 20 000) entities of another tenant: the scan before this change (no
     * {@code e.type IS NOT NULL}, planned as a scan of every {@code Entity}) against {@link Neo4jEntityGraph#NEAREST_EXACT}
     * (the {@code Entity(tenant, type)} seek), alternating, {@code bench.countRounds} each; same hits checked.
     */
    private void exactScan(Driver driver, String run) throws Exception {
        int others = Integer.getInteger("bench.otherEntities", 20_000);
        int countRounds = Integer.getInteger("bench.countRounds", 300);
        String small = "ec38-" + run + "-small";
        String other = "ec38-" + run + "-other";
        String old = Neo4jEntityGraph.NEAREST_EXACT.replace("WHERE e.type IS NOT NULL AND ", "WHERE ");
        try (Session s = driver.session()) {
            for (int e = 0; e < entities; e++) {
                Map<String, Object> p = writeParameters(small, "svc-" + e);
                s.executeWrite(tx -> tx.run(WRITE, p).consume());
            }
            // in batches of 10 000 (one transaction each: the server's transaction memory is bounded)
            for (int from = 1; from <= others; from += 10_000) {
                Map<String, Object> batch =
                        Map.of("from", from, "to", Math.min(others, from + 9_999), "tenant", other, "model", MODEL);
                s.executeWrite(tx -> tx.run(
                                "UNWIND range($from, $to) AS i CREATE (e:Entity:"
                                        + Neo4jTenantVectors.label(Neo4jTenantVectors.Kind.ENTITY, other)
                                        + " {tenant: $tenant, id: 'svc-' + i, type: 'service', embeddingModel: $model})",
                                batch)
                        .consume());
            }
            Map<String, Object> p = searchParameters(small);
            double loadBefore = load();
            NeoBenchSupport.Ab<List<String>> ab = alternate(
                    countRounds,
                    isA -> s.executeRead(tx -> tx.run(isA ? old : Neo4jEntityGraph.NEAREST_EXACT, p)
                            .list(r -> r.get("id").asString())));
            System.out.printf(
                    Locale.ROOT,
                    "exact entity scan, tenant of %d next to %d other entities: A label scan %s; B type seek %s; same "
                            + "hits: %s (load %.2f → %.2f)%n",
                    entities,
                    others,
                    ab.statsA(profileHits(s, old, p)),
                    ab.statsB(profileHits(s, Neo4jEntityGraph.NEAREST_EXACT, p)),
                    ab.same(),
                    loadBefore,
                    load());
            for (String t : List.of(small, other)) {
                detachDeleteInBatches(s, "MATCH (n:Entity {tenant: $t})", Map.of("t", t));
            }
        }
    }

    private Map<String, Object> writeParameters(String tenant, String id) {
        Map<String, Object> p = new HashMap<>();
        p.put("tenant", tenant);
        p.put("id", id);
        p.put("type", "service");
        p.put("properties", "{\"name\":\"" + id + "\"}");
        p.put("now", System.currentTimeMillis());
        p.put("entityLabel", Neo4jTenantVectors.labelParameter(Neo4jTenantVectors.Kind.ENTITY, tenant));
        p.put("vector", ProbeRuns.unitVector(random));
        p.put("model", MODEL);
        return p;
    }

    private Map<String, Object> searchParameters(String tenant) {
        Map<String, Object> p = new HashMap<>();
        p.put("tenant", tenant);
        p.put("vector", ProbeRuns.unitVector(random));
        p.put("type", null);
        p.put("exclude", null);
        p.put("limit", 10);
        p.put("filters", List.of());
        p.put("maxScan", 20_000);
        p.put("model", MODEL);
        return p;
    }

    /** EXPLAIN of both counts and of the exact scan. */
    private void plans(Driver driver) {
        String tenant = "ec38-plan";
        for (String[] st : new String[][] {
            {"A label count", labelCount(tenant)},
            {"B bounded count", BOUNDED},
            {"exact", Neo4jEntityGraph.NEAREST_EXACT}
        }) {
            Map<String, Object> p = new HashMap<>(searchParameters(tenant));
            p.put("exactBelow", EXACT_BELOW);
            printPlan(driver, st[0], st[1], p);
        }
    }
}
