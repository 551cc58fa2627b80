package dev.devloop.knowledge.bench;

import dev.devloop.knowledge.domain.roadmap.CriticalPath;
import dev.devloop.knowledge.domain.roadmap.DependencyGraph;
import dev.devloop.knowledge.domain.roadmap.PlanItem;
import dev.devloop.knowledge.domain.roadmap.Progress;
import dev.devloop.knowledge.domain.roadmap.RoadmapNode;
import dev.devloop.knowledge.domain.roadmap.RoadmapStatus;
import dev.devloop.knowledge.domain.roadmap.Rollup;
import dev.devloop.knowledge.ports.in.ImportRoadmapUseCase;
import dev.devloop.knowledge.ports.in.RoadmapUseCase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

/**
 * Not a test (its name keeps it out of {@code verify}): the roadmap views computed by the service (roll-up and ready
 * set in one Cypher query each; critical path from one projection query plus the domain function) against the naive
 * way, measured in the same run: load every node and edge of the tenant's roadmap with its properties into Java,
 * then compute with the same domain functions. Run it with
 * {@code ./mvnw -B -o -pl knowledge-service test -Dtest=RoadmapBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * (knobs: {@code -Dbench.roadmap.sizes=1000,10000}, {@code -Dbench.rounds=100}). Timings are printed, never asserted.
 */
@QuarkusTest
@TestProfile(KnowledgeBenchmark.Quiet.class)
class RoadmapBenchmark {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 100);
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("bench.budgetSeconds", 20));
    private static final int TASKS_PER_FEATURE = 10;
    private static final int FEATURES_PER_MODULE = 10;
    private static final int READY_LIMIT = 1000;

    @Inject
    ImportRoadmapUseCase imports;

    @Inject
    RoadmapUseCase roadmap;

    @Inject
    Driver neo4j;

    @Test
    void run() {
        List<Integer> sizes = Arrays.stream(
                        System.getProperty("bench.roadmap.sizes", "1000,10000").split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .toList();
        System.out.println("\n=== roadmap benchmark (" + ROUNDS + " rounds per row, p50 / p99 ms) ===");
        List<String> table = new ArrayList<>();
        for (int size : sizes) {
            String tenant = "bench-rm-" + UUID.randomUUID().toString().substring(0, 8);
            try {
                long t0 = System.nanoTime();
                int nodes = seed(tenant, size);
                System.out.printf(
                        Locale.ROOT,
                        "%d tasks (%d nodes) imported in %.1f s%n",
                        size,
                        nodes,
                        (System.nanoTime() - t0) / 1e9);
                table.addAll(measure(tenant, size));
            } finally {
                clean(tenant);
            }
        }
        System.out.println(
                "\n| tasks | view | service p50 / p99 ms | naive (load all + Java) p50 / p99 ms | naive / service (p50) | naive compute only p50 ms |");
        System.out.println("|---|---|---|---|---|---|");
        table.forEach(System.out::println);
    }

    /** Imports one milestone of {@code tasks} tasks, a phase per chunk, and answers the node count. */
    private int seed(String tenant, int tasks) {
        Random random = new Random(42);
        int features = Math.max(1, tasks / TASKS_PER_FEATURE);
        int modules = Math.max(1, features / FEATURES_PER_MODULE);
        int phases = Math.max(1, Math.min(4, modules));
        int modulesPerPhase = (modules + phases - 1) / phases;
        int task = 0;
        int feature = 0;
        int nodes = 1;
        for (int p = 0; p < phases; p++) {
            List<Object> moduleList = new ArrayList<>();
            for (int m = p * modulesPerPhase; m < Math.min(modules, (p + 1) * modulesPerPhase); m++) {
                List<Object> featureList = new ArrayList<>();
                int featureCount = m == modules - 1 ? features - m * FEATURES_PER_MODULE : FEATURES_PER_MODULE;
                for (int f = 0; f < featureCount; f++, feature++) {
                    List<Object> taskList = new ArrayList<>();
                    for (int k = 0; k < TASKS_PER_FEATURE && task < tasks; k++, task++) {
                        Map<String, Object> t = new LinkedHashMap<>();
                        t.put("id", "t" + task);
                        t.put("name", "Task " + task);
                        t.put("estimate", 1 + random.nextInt(8));
                        // the first third is done, a few are cancelled or in progress: the views have something to
                        // filter
                        double position = (double) task / tasks;
                        t.put(
                                "status",
                                random.nextInt(40) == 0
                                        ? "cancelled"
                                        : position < 0.33
                                                ? "done"
                                                : position < 0.40 && random.nextBoolean() ? "in_progress" : "planned");
                        List<String> deps = new ArrayList<>();
                        if (k > 0) {
                            deps.add("t" + (task - 1));
                        }
                        if (task > TASKS_PER_FEATURE && random.nextInt(2) == 0) {
                            deps.add("t" + random.nextInt(task - k)); // an earlier feature's task: never a cycle
                        }
                        if (!deps.isEmpty()) {
                            t.put("dependsOn", deps.stream().distinct().toList());
                        }
                        taskList.add(t);
                    }
                    featureList.add(Map.of("id", "f" + feature, "name", "Feature " + feature, "tasks", taskList));
                    nodes += 1 + taskList.size();
                }
                moduleList.add(Map.of("id", "mod" + m, "name", "Module " + m, "features", featureList));
                nodes++;
            }
            Map<String, Object> phase = Map.of("id", "ph" + p, "name", "Phase " + p, "modules", moduleList);
            nodes++;
            imports.importRoadmap(
                    tenant,
                    Map.of("milestones", List.of(Map.of("id", "m", "name", "Milestone", "phases", List.of(phase)))));
        }
        return nodes;
    }

    /** Every node and edge of the tenant's roadmap with its properties, as the naive baseline loads it. */
    private record Loaded(
            Map<String, Map<String, Object>> nodes,
            Map<String, List<String>> children,
            Map<String, List<String>> dependsOn) {}

    private Loaded loadAll(String tenant) {
        try (Session session = neo4j.session()) {
            Map<String, Map<String, Object>> nodes = new HashMap<>();
            for (Record r : session.run("MATCH (n:RoadmapNode {tenant: $t}) RETURN n", Map.of("t", tenant))
                    .list()) {
                Map<String, Object> props = r.get("n").asMap();
                nodes.put((String) props.get("id"), props);
            }
            Map<String, List<String>> children = new HashMap<>();
            Map<String, List<String>> deps = new HashMap<>();
            for (Record r : session.run(
                            "MATCH (a:RoadmapNode {tenant: $t})-[e:CONTAINS|DEPENDS_ON]->(b:RoadmapNode) "
                                    + "RETURN a.id AS a, type(e) AS type, b.id AS b",
                            Map.of("t", tenant))
                    .list()) {
                (r.get("type").asString().equals("CONTAINS") ? children : deps)
                        .computeIfAbsent(r.get("a").asString(), k -> new ArrayList<>())
                        .add(r.get("b").asString());
            }
            return new Loaded(nodes, children, deps);
        }
    }

    /** The tasks under {@code root}, found by walking the loaded {@code CONTAINS} edges. */
    private static List<PlanItem> tasksUnder(Loaded data, String root) {
        List<PlanItem> out = new ArrayList<>();
        List<String> stack = new ArrayList<>(List.of(root));
        while (!stack.isEmpty()) {
            String id = stack.remove(stack.size() - 1);
            Map<String, Object> n = data.nodes().get(id);
            if ("task".equals(n.get("level"))) {
                out.add(new PlanItem(
                        id,
                        (String) n.get("name"),
                        RoadmapStatus.fromWire((String) n.get("status")).orElseThrow(),
                        n.get("estimate") == null ? null : ((Number) n.get("estimate")).doubleValue(),
                        data.dependsOn().getOrDefault(id, List.of())));
            }
            stack.addAll(data.children().getOrDefault(id, List.of()));
        }
        return out;
    }

    private static List<String> naiveReady(Loaded data) {
        List<PlanItem> tasks = tasksUnder(data, "m");
        return DependencyGraph.ready(tasks, id -> RoadmapStatus.fromWire(
                                (String) data.nodes().get(id).get("status"))
                        .orElseThrow())
                .stream()
                .limit(READY_LIMIT)
                .map(PlanItem::id)
                .toList();
    }

    private List<String> measure(String tenant, int size) {
        List<String> rows = new ArrayList<>();
        // the answers must agree before their timings mean anything
        Loaded data = loadAll(tenant);
        Progress service = roadmap.progress(tenant, "m");
        Progress naive = Rollup.of(tasksUnder(data, "m"));
        List<String> readyService = roadmap.ready(tenant, "task", "m", READY_LIMIT).stream()
                .map(RoadmapNode::id)
                .toList();
        CriticalPath pathService = roadmap.criticalPath(tenant, "m");
        CriticalPath pathNaive = DependencyGraph.criticalPath("m", tasksUnder(data, "m"));
        System.out.printf(
                Locale.ROOT,
                "roll-up %s (naive %s); ready %d (naive agrees: %s); critical path %d tasks, "
                        + "length %.0f (naive agrees: %s)%n",
                service,
                service.equals(naive),
                readyService.size(),
                readyService.equals(naiveReady(data)),
                pathService.path().size(),
                pathService.length(),
                pathService.path().equals(pathNaive.path()) && pathService.length() == pathNaive.length());

        rows.add(row(
                size,
                "roll-up of the milestone",
                time(() -> roadmap.progress(tenant, "m")),
                time(() -> Rollup.of(tasksUnder(loadAll(tenant), "m"))),
                time(() -> Rollup.of(tasksUnder(data, "m")))));
        rows.add(row(
                size,
                "ready set (tasks, limit " + READY_LIMIT + ")",
                time(() -> roadmap.ready(tenant, "task", "m", READY_LIMIT)),
                time(() -> naiveReady(loadAll(tenant))),
                time(() -> naiveReady(data))));
        rows.add(row(
                size,
                "critical path",
                time(() -> roadmap.criticalPath(tenant, "m")),
                time(() -> DependencyGraph.criticalPath("m", tasksUnder(loadAll(tenant), "m"))),
                time(() -> DependencyGraph.criticalPath("m", tasksUnder(data, "m")))));
        return rows;
    }

    private static String row(int size, String view, double[] service, double[] naive, double[] computeOnly) {
        String line = String.format(
                Locale.ROOT,
                "| %,d | %s | %.2f / %.2f | %.2f / %.2f | %.1f× | %.2f |",
                size,
                view,
                service[0],
                service[1],
                naive[0],
                naive[1],
                naive[0] / service[0],
                computeOnly[0]);
        System.out.println(line);
        return line;
    }

    /** p50 and p99 in ms over up to {@link #ROUNDS} calls after a warm-up, stopping at the time budget. */
    private static double[] time(Supplier<?> op) {
        for (int i = 0; i < Math.min(10, ROUNDS); i++) {
            op.get();
        }
        List<Long> times = new ArrayList<>();
        long deadline = System.nanoTime() + BUDGET.toNanos();
        for (int i = 0; i < ROUNDS && System.nanoTime() < deadline; i++) {
            long t0 = System.nanoTime();
            op.get();
            times.add(System.nanoTime() - t0);
        }
        long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
        return new double[] {
            sorted[sorted.length / 2] / 1e6,
            sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6
        };
    }

    private void clean(String tenant) {
        try (Session session = neo4j.session()) {
            session.run(
                            "MATCH (n) WHERE n.tenant = $t CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS",
                            Map.of("t", tenant))
                    .consume();
        }
    }
}
