package dev.devloop.knowledge.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntSupplier;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;

/** The driver-only probes' shared parts: the Neo4j, a document, variants alternating per document, their p50 and p99. */
public final class ProbeRuns {
    /** The shared Neo4j ({@code -Dbench.neo4j.uri}, else {@code DEVLOOP_NEO4J_URI}, else the local one). */
    public static final String URI = System.getProperty(
            "bench.neo4j.uri", System.getenv().getOrDefault("DEVLOOP_NEO4J_URI", "bolt://127.0.0.1:7687"));

    public static final String PASSWORD = System.getenv().getOrDefault("DEVLOOP_NEO4J_PASSWORD", "devloop-dev");

    private ProbeRuns() {}

    /** Runs one statement in its own session (a write transaction, or auto-commit reading every row); 0 for a variant. */
    static int run(Driver driver, boolean write, String statement, Map<String, Object> p) {
        try (Session s = driver.session()) {
            if (write) {
                boolean wrote = s.executeWrite(
                        tx -> tx.run(statement, p).consume().counters().containsUpdates());
                assertTrue(wrote, "the probe's write changed nothing: " + statement);
            } else {
                s.run(statement, p).list();
            }
        }
        return 0;
    }

    /** One two-chunk document of the store's shape for {@code id}, with random unit vectors. */
    static Map<String, Object> params(String tenant, String id, Random random, String hash) {
        List<Map<String, Object>> chunks = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            List<Double> vector = unitVector(random);
            String text = ("Kafka partitions keep per-key ordering while consumers in a group share the partitions "
                            + id + " " + i + ". ")
                    .repeat(6);
            chunks.add(Map.of("index", i, "text", text, "embedding", vector));
        }
        Map<String, Object> doc = new HashMap<>();
        doc.put("id", id);
        doc.put("title", "Doc " + id);
        doc.put("chunkCount", 2);
        doc.put("contentHash", hash + id);
        doc.put("chunks", chunks);
        return Map.of("tenant", tenant, "tenantToken", "tkprobe" + Math.abs(tenant.hashCode()), "docs", List.of(doc));
    }

    /** A random unit vector of 384 dimensions. */
    public static List<Double> unitVector(Random random) {
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

    static String load() {
        return IngestProbeBenchmark.load();
    }

    /**
     * Runs every variant once per document, the first one rotating so each sees the same load, with {@code doc[0]}
     * set to the document's number; fills {@code nanos[variant][document]}.
     */
    static void alternate(List<IntSupplier> variants, int[] doc, long[][] nanos) {
        int docs = nanos[0].length;
        for (int d = 0; d < docs; d++) {
            doc[0] = d;
            for (int k = 0; k < variants.size(); k++) {
                int v = (k + d) % variants.size();
                long t0 = System.nanoTime();
                variants.get(v).getAsInt();
                nanos[v][d] = System.nanoTime() - t0;
            }
        }
    }

    /** One line per variant: {@code <prefix> <name> p50 … ms  p99 … ms}, the name padded to {@code width}. */
    static void printPercentiles(String prefix, int width, String[] names, long[][] nanos) {
        for (int k = 0; k < names.length; k++) {
            long[] s = nanos[k].clone();
            Arrays.sort(s);
            System.out.printf(
                    Locale.ROOT,
                    "%s %-" + width + "s p50 %7.2f ms  p99 %7.2f ms%n",
                    prefix,
                    names[k],
                    s[s.length / 2] / 1e6,
                    s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.99) - 1)] / 1e6);
        }
    }
}
