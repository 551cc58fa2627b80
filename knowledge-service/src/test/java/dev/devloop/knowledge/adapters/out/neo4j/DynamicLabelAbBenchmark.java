package dev.devloop.knowledge.adapters.out.neo4j;

import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.alternate;
import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.alternatePhases;
import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.detachDelete;
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
        try (Driver driver = NeoBenchSupport.driver()) {
            plans(driver);
            String run = UUID.randomUUID().toString().substring(0, 8);
            Map<Boolean, List<double[]>> phases =
                    alternatePhases(rounds, (suffix, dynamic) -> phase(driver, pid, run + "-" + suffix, dynamic));
            largeTenantCount(driver, run);
            printPhases("write p50 / p99 ms | search p50 / p99 ms", 2, phases, "A inlined", "B dynamic");
        }
    }

    /** One phase: fresh tenants, writes, searches, measured; then its tenants deleted. */
    private double[] phase(Driver driver, long pid, String prefix, boolean dynamic) throws Exception {
        List<String> names = NeoBenchSupport.tenants("dl38-" + prefix, tenants);
        NeoBenchSupport.Meter meter = new NeoBenchSupport.Meter(driver, pid);
        List<Double> writes = new ArrayList<>();
        List<Double> searches = new ArrayList<>();
        Set<String> texts = new HashSet<>();
        for (String tenant : names) {
            for (int d = 0; d < docs; d++) {
                String statement =
                        dynamic ? Neo4jDocumentStore.REPLACE_ALL : inlined(Neo4jDocumentStore.REPLACE_ALL, tenant);
                texts.add(statement);
                Map<String, Object> p = writeParameters(tenant, "doc-" + d);
                timed(
                        driver,
                        writes,
                        s -> s.executeWrite(tx -> tx.run(statement, p).consume()));
            }
        }
        for (String tenant : names) {
            for (String base : List.of(Neo4jDocumentStore.HYBRID, Neo4jDocumentStore.GUARDED_EXACT)) {
                String statement = dynamic ? base : inlined(base, tenant);
                texts.add(statement);
                Map<String, Object> p = searchParameters(tenant);
                timed(driver, searches, s -> s.run(statement, p).list());
            }
        }
        meter.stop();
        detachDelete(
                driver, "MATCH (n) WHERE (n:Chunk OR n:Document) AND n.tenant IN $tenants", Map.of("tenants", names));
        printPhase(prefix, dynamic ? "B dynamic" : "A inlined", writes.size(), searches.size(), texts.size(), "");
        return meter.row(texts.size(), writes, searches);
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
            NeoBenchSupport.Ab<Long> ab = alternate(
                    countRounds,
                    first -> s.run(first ? a : b, p).single().get("n").asLong());
            System.out.printf(
                    Locale.ROOT,
                    "large tenant (%d chunks) count: A count store n=%d %s; B bounded index count n=%d %s (load %.2f)%n",
                    chunks,
                    ab.lastA(),
                    ab.statsA(profileHits(s, a, p)),
                    ab.lastB(),
                    ab.statsB(profileHits(s, b, p)),
                    load());
            detachDelete(s, "MATCH (n:Chunk {tenant: $tenant})", p);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
                    ProbeRuns.unitVector(random)));
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
        p.put("vector", ProbeRuns.unitVector(random));
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
                printPlan(driver, st[0] + " " + (dynamic ? "B dynamic" : "A inlined"), text, p);
            }
        }
    }
}
