package dev.devloop.knowledge.adapters.out.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.driver.summary.Plan;

/**
 * Stop 38 A/B (not a test: surefire's includes match {@code *Test}, so {@code verify} never runs it): the document
 * store's hot statements with the tenant label inlined (A, the statement text before stop 38: one text, hence one
 * Neo4j plan, per tenant) against the same statements with a dynamic label and the bounded {@code Chunk(tenant)} count
 * (B, {@link Neo4jDocumentStore#REPLACE_ALL}, {@link Neo4jDocumentStore#HYBRID}, {@link Neo4jDocumentStore#GUARDED_EXACT}:
 * one text for all tenants). Driver only, against the shared Neo4j. Each phase takes {@code bench.tenants} fresh
 * tenants (new labels, so A's plans are really new), writes {@code bench.docs} two-chunk documents per tenant (one write
 * transaction each, as the single ingest API does), then one hybrid and one vector search per tenant; phases alternate
 * A B B A … ({@code bench.rounds} pairs). Per phase: write and search p50/p99, Neo4j's CPU seconds from
 * {@code /proc/<pid>/task/* /stat} split into C2 / C1 compiler threads and the rest, the JVM's total JIT compilation
 * time ({@code dbms.queryJmx}, {@code java.lang:type=Compilation}), load averages. Nothing is asserted; each phase's
 * tenants are deleted after it is measured. A's texts are B's with the label inlined again (the count as
 * {@code MATCH (x:`TenantChunk_<h>`) WITH count(x) AS n}, the count store), so both run the same statements but for
 * that. Also prints both variants' plans.
 *
 * <pre>
 * ./mvnw -B -o -pl knowledge-service test -Dtest=DynamicLabelAbBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench.tenants=40 -Dbench.docs=3 -Dbench.rounds=2
 * </pre>
 */
class DynamicLabelAbBenchmark {
    private static final String URI = System.getProperty(
            "bench.neo4j.uri", System.getenv().getOrDefault("DEVLOOP_NEO4J_URI", "bolt://127.0.0.1:7687"));
    private static final String PASSWORD = System.getenv().getOrDefault("DEVLOOP_NEO4J_PASSWORD", "devloop-dev");
    private static final String MODEL = "bench-model";
    private static final int EXACT_BELOW = 1000;

    private final int tenants = Integer.getInteger("bench.tenants", 40);
    private final int docs = Integer.getInteger("bench.docs", 3);
    private final int rounds = Integer.getInteger("bench.rounds", 2);
    private final Random random = new Random(38);

    /** A's statement: B's with the tenant label inlined, as before stop 38. */
    static String inlined(String statement, String tenant) {
        String label = Neo4jTenantVectors.label(Neo4jTenantVectors.Kind.CHUNK, tenant);
        return statement
                .replace(":$($chunkLabel)", ":" + label)
                .replace(Neo4jTenantVectors.BOUNDED_CHUNK_COUNT, "MATCH (x:" + label + ") WITH count(x) AS n ");
    }

    @Test
    void dynamicLabelsAgainstInlinedLabels() throws Exception {
        long pid = neo4jPid();
        try (Driver driver = GraphDatabase.driver(URI, AuthTokens.basic("neo4j", PASSWORD))) {
            plans(driver);
            String run = UUID.randomUUID().toString().substring(0, 8);
            Map<Boolean, List<double[]>> phases = new HashMap<>();
            for (int r = 0; r < rounds; r++) {
                boolean[] order = r % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false};
                for (boolean dynamic : order) {
                    double[] row = phase(driver, pid, run + "-" + r + (dynamic ? "b" : "a"), dynamic);
                    phases.computeIfAbsent(dynamic, k -> new ArrayList<>()).add(row);
                }
            }
            largeTenantCount(driver, run);
            System.out.println(
                    "\n| variant | phase | write p50 / p99 ms | search p50 / p99 ms | Neo4j CPU s (C2 / C1 / "
                            + "rest) | JIT ms (JMX) | distinct statement texts | load before → after |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (boolean dynamic : new boolean[] {false, true}) {
                int i = 0;
                for (double[] row : phases.get(dynamic)) {
                    System.out.printf(
                            Locale.ROOT,
                            "| %s | %d | %.1f / %.1f | %.1f / %.1f | %.2f (%.2f / %.2f / %.2f) | %.0f | %.0f | %.2f → %.2f |%n",
                            dynamic ? "B dynamic" : "A inlined",
                            ++i,
                            row[0],
                            row[1],
                            row[2],
                            row[3],
                            row[4] + row[5] + row[6],
                            row[4],
                            row[5],
                            row[6],
                            row[7],
                            row[8],
                            row[9],
                            row[10]);
                }
            }
        }
    }

    /** One phase: fresh tenants, writes, searches, measured; then its tenants deleted. */
    private double[] phase(Driver driver, long pid, String prefix, boolean dynamic) throws Exception {
        List<String> names = new ArrayList<>();
        for (int t = 0; t < tenants; t++) {
            names.add("dl38-" + prefix + "-" + t);
        }
        double loadBefore = load();
        long[] cpu0 = cpu(pid);
        double jit0 = jitMillis(driver);
        List<Double> writes = new ArrayList<>();
        List<Double> searches = new ArrayList<>();
        java.util.Set<String> texts = new java.util.HashSet<>();
        for (String tenant : names) {
            for (int d = 0; d < docs; d++) {
                String statement =
                        dynamic ? Neo4jDocumentStore.REPLACE_ALL : inlined(Neo4jDocumentStore.REPLACE_ALL, tenant);
                texts.add(statement);
                Map<String, Object> p = writeParameters(tenant, "doc-" + d);
                long start = System.nanoTime();
                try (Session s = driver.session()) {
                    s.executeWrite(tx -> tx.run(statement, p).consume());
                }
                writes.add((System.nanoTime() - start) / 1e6);
            }
        }
        for (String tenant : names) {
            for (String base : List.of(Neo4jDocumentStore.HYBRID, Neo4jDocumentStore.GUARDED_EXACT)) {
                String statement = dynamic ? base : inlined(base, tenant);
                texts.add(statement);
                Map<String, Object> p = searchParameters(tenant);
                long start = System.nanoTime();
                try (Session s = driver.session()) {
                    s.run(statement, p).list();
                }
                searches.add((System.nanoTime() - start) / 1e6);
            }
        }
        long[] cpu1 = cpu(pid);
        double jit1 = jitMillis(driver);
        double loadAfter = load();
        try (Session s = driver.session()) {
            s.executeWrite(tx -> tx.run(
                            "MATCH (n) WHERE (n:Chunk OR n:Document) AND n.tenant IN $tenants DETACH DELETE n",
                            Map.of("tenants", names))
                    .consume());
        }
        System.out.printf(
                Locale.ROOT,
                "phase %s %s: %d writes, %d searches, %d distinct statement texts%n",
                prefix,
                dynamic ? "B dynamic" : "A inlined",
                writes.size(),
                searches.size(),
                texts.size());
        return new double[] {
            percentile(writes, 50),
            percentile(writes, 99),
            percentile(searches, 50),
            percentile(searches, 99),
            (cpu1[0] - cpu0[0]) / 100.0,
            (cpu1[1] - cpu0[1]) / 100.0,
            (cpu1[2] - cpu0[2]) / 100.0,
            jit1 - jit0,
            texts.size(),
            loadBefore,
            loadAfter
        };
    }

    /**
     * What the bounded count costs where it reads most: a tenant of {@code bench.largeChunks} (default 1200, above
     * the threshold of 1000) chunks, the count-store count (A) against the bounded {@code Chunk(tenant)} count (B),
     * alternating, {@code bench.countRounds} each (auto-commit, one statement each), p50/p99 and PROFILE db hits.
     */
    private void largeTenantCount(Driver driver, String run) {
        int chunks = Integer.getInteger("bench.largeChunks", 1200);
        int countRounds = Integer.getInteger("bench.countRounds", 300);
        String tenant = "dl38-" + run + "-large";
        String label = Neo4jTenantVectors.label(Neo4jTenantVectors.Kind.CHUNK, tenant);
        Map<String, Object> p = Map.of("tenant", tenant, "exactBelow", EXACT_BELOW, "n", chunks);
        try (Session s = driver.session()) {
            s.executeWrite(tx -> tx.run(
                            "UNWIND range(1, $n) AS i CREATE (c:Chunk:" + label
                                    + " {tenant: $tenant, documentId: 'd', index: i})",
                            p)
                    .consume());
            String a = "MATCH (x:" + label + ") WITH count(x) AS n RETURN n";
            String b = Neo4jTenantVectors.BOUNDED_CHUNK_COUNT + "RETURN n";
            List<Double> ta = new ArrayList<>();
            List<Double> tb = new ArrayList<>();
            long[] n = new long[2];
            for (int i = 0; i < countRounds + 20; i++) {
                for (int v = 0; v < 2; v++) {
                    boolean first = (i + v) % 2 == 0;
                    long start = System.nanoTime();
                    n[first ? 0 : 1] = s.run(first ? a : b, p).single().get("n").asLong();
                    if (i >= 20) {
                        (first ? ta : tb).add((System.nanoTime() - start) / 1e6);
                    }
                }
            }
            long hitsA = dbHits(s.run("PROFILE " + a, p).consume().profile());
            long hitsB = dbHits(s.run("PROFILE " + b, p).consume().profile());
            System.out.printf(
                    Locale.ROOT,
                    "large tenant (%d chunks) count: A count store n=%d p50 %.2f / p99 %.2f ms, %d db hits; "
                            + "B bounded index count n=%d p50 %.2f / p99 %.2f ms, %d db hits (load %.2f)%n",
                    chunks,
                    n[0],
                    percentile(ta, 50),
                    percentile(ta, 99),
                    hitsA,
                    n[1],
                    percentile(tb, 50),
                    percentile(tb, 99),
                    hitsB,
                    load());
            s.executeWrite(tx -> tx.run("MATCH (c:Chunk {tenant: $tenant}) DETACH DELETE c", p)
                    .consume());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long dbHits(org.neo4j.driver.summary.ProfiledPlan plan) {
        long hits = plan.dbHits();
        for (org.neo4j.driver.summary.ProfiledPlan child : plan.children()) {
            hits += dbHits(child);
        }
        return hits;
    }

    private Map<String, Object> writeParameters(String tenant, String id) {
        List<Map<String, Object>> chunks = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            chunks.add(Map.of(
                    "index",
                    i,
                    "text",
                    ("Kafka partitions keep per-key ordering while consumers share them " + id + " " + i + ". ")
                            .repeat(6),
                    "embedding",
                    vector()));
        }
        Map<String, Object> doc = new HashMap<>();
        doc.put("id", id);
        doc.put("title", "Doc " + id);
        doc.put("contentType", "text/plain");
        doc.put("chunkCount", 2);
        doc.put("characters", 1000L);
        doc.put("metadata", "{}");
        doc.put("updatedAt", System.currentTimeMillis());
        doc.put("contentHash", "h" + id);
        doc.put("meta", Map.of());
        doc.put("chunks", chunks);
        Map<String, Object> p = new HashMap<>();
        p.put("tenant", tenant);
        p.put("tenantToken", Neo4jDocumentStore.tenantToken(tenant));
        p.put("docs", List.of(doc));
        p.put("model", MODEL);
        p.put("chunkLabel", Neo4jTenantVectors.labelParameter(Neo4jTenantVectors.Kind.CHUNK, tenant));
        p.put("exactBelow", EXACT_BELOW);
        return p;
    }

    private Map<String, Object> searchParameters(String tenant) {
        Map<String, Object> p = new HashMap<>();
        p.put("tenant", tenant);
        p.put("vector", vector());
        p.put("filters", Map.of());
        p.put("limit", 10);
        p.put("maxScan", 20_000);
        p.put("model", MODEL);
        p.put("exactBelow", EXACT_BELOW);
        p.put(
                "query",
                "+tenantToken:" + Neo4jDocumentStore.tenantToken(tenant) + "^0 +text:("
                        + Neo4jDocumentStore.luceneTerms("kafka consumer ordering") + ")");
        p.put("candidates", 10);
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

    /** EXPLAIN of both variants of each statement, operator trees printed. */
    private void plans(Driver driver) {
        String tenant = "dl38-plan";
        Map<String, Object> w = writeParameters(tenant, "x");
        Map<String, Object> s = searchParameters(tenant);
        for (String[] st : new String[][] {
            {"replaceAll", Neo4jDocumentStore.REPLACE_ALL},
            {"hybrid", Neo4jDocumentStore.HYBRID},
            {"guardedExact", Neo4jDocumentStore.GUARDED_EXACT}
        }) {
            Map<String, Object> p = st[0].equals("replaceAll") ? w : s;
            for (boolean dynamic : new boolean[] {false, true}) {
                String text = dynamic ? st[1] : inlined(st[1], tenant);
                try (Session session = driver.session()) {
                    Plan plan = session.run("EXPLAIN " + text, p).consume().plan();
                    StringBuilder out = new StringBuilder();
                    print(plan, 0, out);
                    System.out.println("plan " + st[0] + " " + (dynamic ? "B dynamic" : "A inlined") + ":\n" + out);
                }
            }
        }
    }

    static void print(Plan plan, int depth, StringBuilder out) {
        String details = plan.arguments().containsKey("Details")
                ? plan.arguments().get("Details").asString()
                : "";
        out.append("  ".repeat(depth + 1))
                .append(plan.operatorType().replace("@neo4j", ""))
                .append(' ')
                .append(details.length() > 110 ? details.substring(0, 110) + "…" : details)
                .append('\n');
        for (Plan child : plan.children()) {
            print(child, depth + 1, out);
        }
    }

    static double jitMillis(Driver driver) {
        try (Session s = driver.session()) {
            return s.run("CALL dbms.queryJmx('java.lang:type=Compilation') YIELD attributes "
                            + "RETURN attributes.TotalCompilationTime.value AS ms")
                    .single()
                    .get("ms")
                    .asLong();
        }
    }

    /** utime + stime in clock ticks of Neo4j's threads: C2 compiler threads, C1 compiler threads, the rest. */
    static long[] cpu(long pid) throws Exception {
        long[] out = new long[3];
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (java.io.IOException gone) {
                    continue;
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                String[] f = stat.substring(close + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                out[name.startsWith("C2 Compiler") ? 0 : name.startsWith("C1 Compiler") ? 1 : 2] += ticks;
            }
        }
        return out;
    }

    static long neo4jPid() throws Exception {
        String pid = System.getProperty("bench.neo4j.pid");
        if (pid == null) {
            Path file = Path.of(System.getProperty("user.dir")).resolve("../.devloop/servers/neo4j/neo4j.pid");
            pid = Files.readString(file).strip();
        }
        return Long.parseLong(pid);
    }

    static double load() throws Exception {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    static double percentile(List<Double> values, int p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
