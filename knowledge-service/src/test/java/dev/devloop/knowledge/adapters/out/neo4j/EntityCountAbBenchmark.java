package dev.devloop.knowledge.adapters.out.neo4j;

import static dev.devloop.knowledge.adapters.out.neo4j.DynamicLabelAbBenchmark.cpu;
import static dev.devloop.knowledge.adapters.out.neo4j.DynamicLabelAbBenchmark.dbHits;
import static dev.devloop.knowledge.adapters.out.neo4j.DynamicLabelAbBenchmark.jitMillis;
import static dev.devloop.knowledge.adapters.out.neo4j.DynamicLabelAbBenchmark.load;
import static dev.devloop.knowledge.adapters.out.neo4j.DynamicLabelAbBenchmark.neo4jPid;
import static dev.devloop.knowledge.adapters.out.neo4j.DynamicLabelAbBenchmark.percentile;
import static dev.devloop.knowledge.adapters.out.neo4j.DynamicLabelAbBenchmark.print;

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
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.summary.Plan;

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
    private static final String URI = System.getProperty(
            "bench.neo4j.uri", System.getenv().getOrDefault("DEVLOOP_NEO4J_URI", "bolt://127.0.0.1:7687"));
    private static final String PASSWORD = System.getenv().getOrDefault("DEVLOOP_NEO4J_PASSWORD", "devloop-dev");
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
        try (Driver driver = GraphDatabase.driver(URI, AuthTokens.basic("neo4j", PASSWORD))) {
            plans(driver);
            String run = UUID.randomUUID().toString().substring(0, 8);
            // warm-up (not reported): both variants once, so neither pays the first JIT of the whole path
            for (int w = 0; w < Integer.getInteger("bench.warmups", 1); w++) {
                phase(driver, pid, run + "-w" + w + "a", false);
                phase(driver, pid, run + "-w" + w + "b", true);
            }
            Map<Boolean, List<double[]>> phases = new HashMap<>();
            for (int r = 0; r < rounds; r++) {
                boolean[] order = r % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false};
                for (boolean bounded : order) {
                    double[] row = phase(driver, pid, run + "-" + r + (bounded ? "b" : "a"), bounded);
                    phases.computeIfAbsent(bounded, k -> new ArrayList<>()).add(row);
                }
            }
            exactScan(driver, run);
            for (String size :
                    System.getProperty("bench.largeEntities", "999,1200").split(",")) {
                largeTenantCount(driver, run, Integer.parseInt(size.strip()));
            }
            System.out.println("\n| variant | phase | write+count p50 / p99 ms | first search p50 / p99 ms | later "
                    + "searches p50 / p99 ms | Neo4j CPU s (C2 / C1 / rest) | JIT ms (JMX) | distinct statement texts "
                    + "| load before → after |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            for (boolean bounded : new boolean[] {false, true}) {
                int i = 0;
                for (double[] row : phases.get(bounded)) {
                    System.out.printf(
                            Locale.ROOT,
                            "| %s | %d | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.2f (%.2f / %.2f / %.2f) | %.0f "
                                    + "| %.0f | %.2f → %.2f |%n",
                            bounded ? "B bounded" : "A inlined",
                            ++i,
                            row[0],
                            row[1],
                            row[2],
                            row[3],
                            row[4],
                            row[5],
                            row[6] + row[7] + row[8],
                            row[6],
                            row[7],
                            row[8],
                            row[9],
                            row[10],
                            row[11],
                            row[12]);
                }
            }
        }
    }

    /** One phase: fresh tenants, entity writes with their count, searches, measured; then its tenants deleted. */
    private double[] phase(Driver driver, long pid, String prefix, boolean bounded) throws Exception {
        List<String> names = new ArrayList<>();
        for (int t = 0; t < tenants; t++) {
            names.add("ec38-" + prefix + "-" + t);
        }
        double loadBefore = load();
        long[] cpu0 = cpu(pid);
        double jit0 = jitMillis(driver);
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
                long start = System.nanoTime();
                try (Session s = driver.session()) {
                    s.executeWrite(tx -> tx.run(WRITE, p).consume());
                    s.executeRead(tx -> count(tx, count, tenant));
                }
                writes.add((System.nanoTime() - start) / 1e6);
            }
        }
        texts.add(Neo4jEntityGraph.NEAREST_EXACT);
        for (int q = 0; q < searches; q++) {
            for (String tenant : names) {
                String count = bounded ? BOUNDED : labelCount(tenant);
                Map<String, Object> p = searchParameters(tenant);
                long start = System.nanoTime();
                try (Session s = driver.session()) {
                    s.executeRead(tx -> {
                        count(tx, count, tenant);
                        return tx.run(Neo4jEntityGraph.NEAREST_EXACT, p).list();
                    });
                }
                (q == 0 ? first : later).add((System.nanoTime() - start) / 1e6);
            }
        }
        long[] cpu1 = cpu(pid);
        double jit1 = jitMillis(driver);
        double loadAfter = load();
        try (Session s = driver.session()) {
            s.executeWrite(tx -> tx.run(
                            "MATCH (e:Entity) WHERE e.tenant IN $tenants DETACH DELETE e", Map.of("tenants", names))
                    .consume());
        }
        System.out.printf(
                Locale.ROOT,
                "phase %s %s: %d writes, %d searches, %d distinct statement texts (load %.2f → %.2f)%n",
                prefix,
                bounded ? "B bounded" : "A inlined",
                writes.size(),
                first.size() + later.size(),
                texts.size(),
                loadBefore,
                loadAfter);
        return new double[] {
            percentile(writes, 50),
            percentile(writes, 99),
            percentile(first, 50),
            percentile(first, 99),
            later.isEmpty() ? 0 : percentile(later, 50),
            later.isEmpty() ? 0 : percentile(later, 99),
            (cpu1[0] - cpu0[0]) / 100.0,
            (cpu1[1] - cpu0[1]) / 100.0,
            (cpu1[2] - cpu0[2]) / 100.0,
            jit1 - jit0,
            texts.size(),
            loadBefore,
            loadAfter
        };
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
            List<Double> ta = new ArrayList<>();
            List<Double> tb = new ArrayList<>();
            long[] n = new long[2];
            double loadBefore = load();
            for (int i = 0; i < countRounds + 20; i++) {
                for (int v = 0; v < 2; v++) {
                    boolean isA = (i + v) % 2 == 0;
                    long start = System.nanoTime();
                    n[isA ? 0 : 1] = s.executeRead(tx -> count(tx, isA ? a : BOUNDED, tenant));
                    if (i >= 20) {
                        (isA ? ta : tb).add((System.nanoTime() - start) / 1e6);
                    }
                }
            }
            long hitsA = dbHits(s.run("PROFILE " + a, p).consume().profile());
            long hitsB = dbHits(s.run("PROFILE " + BOUNDED, p).consume().profile());
            System.out.printf(
                    Locale.ROOT,
                    "tenant of %d typed + 300 fact entities, routing count: A count store n=%d p50 %.2f / p99 %.2f ms, "
                            + "%d db hits; B bounded index count%s n=%d p50 %.2f / p99 %.2f ms, %d db hits "
                            + "(bounded statement alone) (load %.2f → %.2f)%n",
                    typed,
                    n[0],
                    percentile(ta, 50),
                    percentile(ta, 99),
                    hitsA,
                    typed >= EXACT_BELOW ? " + count store" : "",
                    n[1],
                    percentile(tb, 50),
                    percentile(tb, 99),
                    hitsB,
                    loadBefore,
                    load());
            s.executeWrite(tx -> tx.run("MATCH (e:Entity {tenant: $tenant}) DETACH DELETE e", p)
                    .consume());
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
            List<Double> ta = new ArrayList<>();
            List<Double> tb = new ArrayList<>();
            List<List<String>> ids = new ArrayList<>(List.of(List.of(), List.of()));
            double loadBefore = load();
            for (int i = 0; i < countRounds + 20; i++) {
                for (int v = 0; v < 2; v++) {
                    boolean isA = (i + v) % 2 == 0;
                    long start = System.nanoTime();
                    List<String> hits = s.executeRead(tx -> tx.run(isA ? old : Neo4jEntityGraph.NEAREST_EXACT, p)
                            .list(r -> r.get("id").asString()));
                    if (i >= 20) {
                        (isA ? ta : tb).add((System.nanoTime() - start) / 1e6);
                    }
                    ids.set(isA ? 0 : 1, hits);
                }
            }
            long hitsA = dbHits(s.run("PROFILE " + old, p).consume().profile());
            long hitsB = dbHits(s.run("PROFILE " + Neo4jEntityGraph.NEAREST_EXACT, p)
                    .consume()
                    .profile());
            System.out.printf(
                    Locale.ROOT,
                    "exact entity scan, tenant of %d next to %d other entities: A label scan p50 %.2f / p99 %.2f ms, %d "
                            + "db hits; B type seek p50 %.2f / p99 %.2f ms, %d db hits; same hits: %s (load %.2f → %.2f)%n",
                    entities,
                    others,
                    percentile(ta, 50),
                    percentile(ta, 99),
                    hitsA,
                    percentile(tb, 50),
                    percentile(tb, 99),
                    hitsB,
                    ids.get(0).equals(ids.get(1)),
                    loadBefore,
                    load());
            for (String t : List.of(small, other)) {
                s.run(
                                "MATCH (e:Entity {tenant: $t}) CALL (e) { DETACH DELETE e } IN TRANSACTIONS OF 10000 ROWS",
                                Map.of("t", t))
                        .consume();
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
        p.put("vector", vector());
        p.put("model", MODEL);
        return p;
    }

    private Map<String, Object> searchParameters(String tenant) {
        Map<String, Object> p = new HashMap<>();
        p.put("tenant", tenant);
        p.put("vector", vector());
        p.put("type", null);
        p.put("exclude", null);
        p.put("limit", 10);
        p.put("filters", List.of());
        p.put("maxScan", 20_000);
        p.put("model", MODEL);
        return p;
    }

    private List<Double> vector() {
        double[] v = new double[384];
        double norm = 0;
        for (int j = 0; j < v.length; j++) {
            v[j] = random.nextGaussian();
            norm += v[j] * v[j];
        }
        List<Double> out = new ArrayList<>(v.length);
        for (double x : v) {
            out.add(x / Math.sqrt(norm));
        }
        return out;
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
            try (Session session = driver.session()) {
                Plan plan = session.run("EXPLAIN " + st[1], p).consume().plan();
                StringBuilder out = new StringBuilder();
                print(plan, 0, out);
                System.out.println("plan " + st[0] + ":\n" + out);
            }
        }
    }
}
