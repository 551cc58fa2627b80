package dev.devloop.knowledge.adapters.out.neo4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devloop.knowledge.bench.ProbeRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.driver.summary.Plan;
import org.neo4j.driver.summary.ProfiledPlan;

/**
 * The driver-only A/B benchmarks' shared parts: the shared Neo4j, a phase's measurement (Neo4j's CPU by thread from
 * {@code /proc}, its JIT time via {@code dbms.queryJmx}, load averages), phases alternating A B B A …, their table,
 * statements alternating A and B, percentiles, plans, db hits and clean-up.
 */
final class NeoBenchSupport {
    private NeoBenchSupport() {}

    /** The shared Neo4j ({@code -Dbench.neo4j.uri}, else {@code DEVLOOP_NEO4J_URI}, else the local one). */
    static Driver driver() {
        return GraphDatabase.driver(ProbeRuns.URI, AuthTokens.basic("neo4j", ProbeRuns.PASSWORD));
    }

    /** {@code <prefix>-0} … {@code <prefix>-<n-1>}: a phase's fresh tenants. */
    static List<String> tenants(String prefix, int n) {
        List<String> names = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            names.add(prefix + "-" + t);
        }
        return names;
    }

    /** {@code phase <prefix> <variant>: … writes, … searches, … distinct statement texts<tail>}. */
    static void printPhase(String prefix, String variant, int writes, int searches, int texts, String tail) {
        System.out.printf(
                Locale.ROOT,
                "phase %s %s: %d writes, %d searches, %d distinct statement texts%s%n",
                prefix,
                variant,
                writes,
                searches,
                texts,
                tail);
    }

    /** Runs {@code work} in a session of its own; its milliseconds, the session's opening and closing included, go to {@code into}. */
    static void timed(Driver driver, List<Double> into, Consumer<Session> work) {
        long start = System.nanoTime();
        try (Session s = driver.session()) {
            work.accept(s);
        }
        into.add((System.nanoTime() - start) / 1e6);
    }

    /** One phase of one variant, {@code suffix} naming it ({@code <round>a} or {@code <round>b}); returns its row. */
    interface Phase {
        double[] run(String suffix, boolean b) throws Exception;
    }

    /** {@code rounds} pairs of phases, A B B A …; each variant's rows in order (A under false, B under true). */
    static Map<Boolean, List<double[]>> alternatePhases(int rounds, Phase phase) throws Exception {
        Map<Boolean, List<double[]>> phases = new HashMap<>();
        for (int r = 0; r < rounds; r++) {
            boolean[] order = r % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false};
            for (boolean b : order) {
                double[] row = phase.run(r + (b ? "b" : "a"), b);
                phases.computeIfAbsent(b, k -> new ArrayList<>()).add(row);
            }
        }
        return phases;
    }

    /**
     * Neo4j's CPU ticks by thread kind, its JIT milliseconds and the load average at a phase's start, and at its end
     * once {@link #stop} ran.
     */
    static final class Meter {
        private final Driver driver;
        private final long pid;
        final double loadBefore;
        private final long[] cpu0;
        private final double jit0;
        double loadAfter;
        private long[] cpu1;
        private double jit1;

        Meter(Driver driver, long pid) throws Exception {
            this.driver = driver;
            this.pid = pid;
            loadBefore = load();
            cpu0 = cpu(pid);
            jit0 = jitMillis(driver);
        }

        void stop() throws Exception {
            cpu1 = cpu(pid);
            jit1 = jitMillis(driver);
            loadAfter = load();
        }

        /**
         * A phase's row: p50 and p99 of each list of milliseconds given (0 and 0 for an empty one), then Neo4j's CPU
         * seconds (C2, C1, rest), JIT ms, distinct statement texts, load before and after.
         */
        @SafeVarargs
        final double[] row(int texts, List<Double>... latencies) {
            double[] row = new double[2 * latencies.length + 7];
            int i = 0;
            for (List<Double> ms : latencies) {
                row[i++] = ms.isEmpty() ? 0 : percentile(ms, 50);
                row[i++] = ms.isEmpty() ? 0 : percentile(ms, 99);
            }
            for (int k = 0; k < 3; k++) {
                row[i++] = (cpu1[k] - cpu0[k]) / 100.0;
            }
            row[i++] = jit1 - jit0;
            row[i++] = texts;
            row[i++] = loadBefore;
            row[i] = loadAfter;
            return row;
        }
    }

    /**
     * The phases' table: {@code latencies} (the header of its {@code pairs} p50 / p99 columns), then Neo4j CPU s (C2 / C1
     * / rest), JIT ms, distinct statement texts, load before → after; one line per phase, A's ({@code a}) then B's.
     */
    static void printPhases(String latencies, int pairs, Map<Boolean, List<double[]>> phases, String a, String b) {
        System.out.println("\n| variant | phase | " + latencies + " | Neo4j CPU s (C2 / C1 / rest) | JIT ms (JMX) | "
                + "distinct statement texts | load before → after |");
        System.out.println("|---".repeat(pairs + 6) + "|");
        String format = "| %s | %d | " + "%.1f / %.1f | ".repeat(pairs)
                + "%.2f (%.2f / %.2f / %.2f) | %.0f | %.0f | %.2f → %.2f |%n";
        for (boolean variant : new boolean[] {false, true}) {
            int i = 0;
            for (double[] row : phases.get(variant)) {
                int c = 2 * pairs;
                List<Object> args = new ArrayList<>(List.of(variant ? b : a, ++i));
                for (int k = 0; k < c; k++) {
                    args.add(row[k]);
                }
                args.add(row[c] + row[c + 1] + row[c + 2]);
                for (int k = c; k < row.length; k++) {
                    args.add(row[k]);
                }
                System.out.printf(Locale.ROOT, format, args.toArray());
            }
        }
    }

    /** One call of A ({@code true}) or B ({@code false}). */
    interface AbCall<T> {
        T run(boolean isA);
    }

    /** A's and B's milliseconds, and each one's last result. */
    record Ab<T>(List<Double> a, List<Double> b, T lastA, T lastB) {
        /** {@code p50 … / p99 … ms, … db hits} of A's times. */
        String statsA(long dbHits) {
            return stats(a, dbHits);
        }

        String statsB(long dbHits) {
            return stats(b, dbHits);
        }

        boolean same() {
            return lastA.equals(lastB);
        }

        /** Fails the bench when the old and new statement of {@code name} did not return the same rows. */
        void requireSame(String name) {
            assertTrue(
                    same(), name + ": the old and the new statement returned different rows: " + lastA + " / " + lastB);
        }
    }

    /** A and B alternating, the first of each pair taking turns, {@code rounds} each after 20 unreported. */
    static <T> Ab<T> alternate(int rounds, AbCall<T> call) {
        List<Double> ta = new ArrayList<>();
        List<Double> tb = new ArrayList<>();
        List<T> last = new ArrayList<>(Arrays.asList(null, null));
        for (int i = 0; i < rounds + 20; i++) {
            for (int v = 0; v < 2; v++) {
                boolean isA = (i + v) % 2 == 0;
                long start = System.nanoTime();
                T result = call.run(isA);
                if (i >= 20) {
                    (isA ? ta : tb).add((System.nanoTime() - start) / 1e6);
                }
                last.set(isA ? 0 : 1, result);
            }
        }
        return new Ab<>(ta, tb, last.get(0), last.get(1));
    }

    static String stats(List<Double> ms, long dbHits) {
        return String.format(
                Locale.ROOT, "p50 %.2f / p99 %.2f ms, %d db hits", percentile(ms, 50), percentile(ms, 99), dbHits);
    }

    /** The db hits of PROFILE {@code statement}. */
    static long profileHits(Session s, String statement, Map<String, Object> p) {
        return dbHits(s.run("PROFILE " + statement, p).consume().profile());
    }

    static long dbHits(ProfiledPlan plan) {
        long hits = plan.dbHits();
        for (ProfiledPlan child : plan.children()) {
            hits += dbHits(child);
        }
        return hits;
    }

    /** EXPLAIN of {@code statement}, its operator tree printed under {@code plan <name>:}. */
    static void printPlan(Driver driver, String name, String statement, Map<String, Object> p) {
        try (Session session = driver.session()) {
            Plan plan = session.run("EXPLAIN " + statement, p).consume().plan();
            StringBuilder out = new StringBuilder();
            print(plan, 0, out);
            System.out.println("plan " + name + ":\n" + out);
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

    /** {@code match} (binding {@code n}) then DETACH DELETE n, in one write transaction of its own session. */
    static void detachDelete(Driver driver, String match, Map<String, Object> p) {
        try (Session s = driver.session()) {
            detachDelete(s, match, p);
        }
    }

    /** {@code match} (binding {@code n}) then DETACH DELETE n, in one write transaction. */
    static void detachDelete(Session s, String match, Map<String, Object> p) {
        s.executeWrite(tx -> tx.run(match + " DETACH DELETE n", p).consume());
    }

    /** {@code match} (binding {@code n}) then DETACH DELETE n in transactions of 10 000 rows. */
    static void detachDeleteInBatches(Session s, String match, Map<String, Object> p) {
        s.run(match + " CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", p)
                .consume();
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

    /** The 1-minute load average. */
    static double load() throws Exception {
        return Double.parseDouble(loadFields()[0]);
    }

    /** The 1, 5 and 15-minute load averages. */
    static String loads() throws Exception {
        String[] f = loadFields();
        return f[0] + " " + f[1] + " " + f[2];
    }

    private static String[] loadFields() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).split(" ");
    }

    static double percentile(List<Double> values, int p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
