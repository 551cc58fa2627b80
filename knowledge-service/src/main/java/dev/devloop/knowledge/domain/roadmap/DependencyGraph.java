package dev.devloop.knowledge.domain.roadmap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Pure functions over the {@code DEPENDS_ON} graph ({@code a → b}: a cannot start before b is done): cycle
 * detection, topological ranks, the ready set and the critical path. Edges to ids outside the given items are
 * ignored by the order and the critical path (they belong to other parts of the roadmap).
 */
public final class DependencyGraph {
    private DependencyGraph() {}

    /** One entry of a dependency order: {@code rank} is the longest chain of dependencies before the item. */
    public record Ranked(String id, int rank) {}

    /**
     * The cycle that adding {@code from → to} to {@code edges} would close, as {@code [from, to, …, from]}; empty
     * when the edge is safe. Breadth-first, so the cycle named is a shortest one.
     */
    public static Optional<List<String>> cycleIfAdded(
            Map<String, ? extends Collection<String>> edges, String from, String to) {
        if (from.equals(to)) {
            return Optional.of(List.of(from, from));
        }
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(to));
        cameFrom.put(to, null);
        while (!queue.isEmpty()) {
            String at = queue.poll();
            if (at.equals(from)) {
                List<String> path = new ArrayList<>();
                for (String x = from; x != null; x = cameFrom.get(x)) {
                    path.add(x);
                }
                Collections.reverse(path);
                path.add(0, from);
                return Optional.of(List.copyOf(path));
            }
            Collection<String> out = edges.get(at);
            for (String next : out == null ? List.<String>of() : out) {
                if (!cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    queue.add(next);
                }
            }
        }
        return Optional.empty();
    }

    /** Some cycle of {@code edges} as {@code [a, b, …, a]} (the first found in id order), or empty. */
    public static Optional<List<String>> findCycle(Map<String, ? extends Collection<String>> edges) {
        Map<String, Integer> state = new HashMap<>(); // absent: unseen, 1: on the stack, 2: finished
        for (String start : new TreeSet<>(edges.keySet())) {
            if (state.containsKey(start)) {
                continue;
            }
            Deque<String> stack = new ArrayDeque<>();
            Deque<Iterator<String>> iterators = new ArrayDeque<>();
            stack.push(start);
            iterators.push(sorted(edges.get(start)).iterator());
            state.put(start, 1);
            while (!stack.isEmpty()) {
                Iterator<String> it = iterators.peek();
                if (!it.hasNext()) {
                    state.put(stack.pop(), 2);
                    iterators.pop();
                    continue;
                }
                String next = it.next();
                Integer seen = state.get(next);
                if (seen == null) {
                    state.put(next, 1);
                    stack.push(next);
                    iterators.push(sorted(edges.get(next)).iterator());
                } else if (seen == 1) {
                    List<String> cycle = new ArrayList<>();
                    for (Iterator<String> down = stack.descendingIterator(); down.hasNext(); ) {
                        String x = down.next();
                        if (x.equals(next) || !cycle.isEmpty()) {
                            cycle.add(x);
                        }
                    }
                    cycle.add(next);
                    return Optional.of(List.copyOf(cycle));
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> sorted(Collection<String> values) {
        return values == null ? List.of() : new ArrayList<>(new TreeSet<>(values));
    }

    /**
     * Topological ranks of {@code items}: 0 for an item without dependencies among them, else one more than its
     * highest-ranked dependency. Sorted by rank, then id.
     *
     * @throws IllegalStateException when the items' dependencies form a cycle (never stored: edges are checked)
     */
    public static List<Ranked> order(Collection<PlanItem> items) {
        Map<String, PlanItem> byId = index(items);
        List<String> topo = topological(byId);
        Map<String, Integer> rank = new HashMap<>();
        for (String id : topo) {
            int r = 0;
            for (String dep : byId.get(id).dependsOn()) {
                if (byId.containsKey(dep)) {
                    r = Math.max(r, rank.get(dep) + 1);
                }
            }
            rank.put(id, r);
        }
        List<Ranked> out = new ArrayList<>();
        rank.forEach((id, r) -> out.add(new Ranked(id, r)));
        out.sort(Comparator.comparingInt(Ranked::rank).thenComparing(Ranked::id));
        return out;
    }

    /**
     * The planned items whose every dependency is done, by id; {@code statusOf} answers for dependencies (also
     * those outside the items), null meaning unknown (not done).
     */
    public static List<PlanItem> ready(Collection<PlanItem> items, Function<String, RoadmapStatus> statusOf) {
        List<PlanItem> out = new ArrayList<>();
        for (PlanItem item : items) {
            if (item.status() == RoadmapStatus.PLANNED
                    && item.dependsOn().stream().allMatch(d -> statusOf.apply(d) == RoadmapStatus.DONE)) {
                out.add(item);
            }
        }
        out.sort(Comparator.comparing(PlanItem::id));
        return out;
    }

    /** The statuses of {@code items} by id, as {@link #ready}'s lookup when every dependency is among them. */
    public static Function<String, RoadmapStatus> statuses(Collection<PlanItem> items) {
        Map<String, RoadmapStatus> map = new HashMap<>();
        items.forEach(i -> map.put(i.id(), i.status()));
        return map::get;
    }

    /**
     * The critical path of a milestone's tasks: cancelled tasks are left out; among chains linked by dependencies
     * the one with the largest weight sum (ties broken by the smaller id, so the answer is deterministic).
     */
    public static CriticalPath criticalPath(String milestone, Collection<PlanItem> tasks) {
        Map<String, PlanItem> byId = index(tasks.stream()
                .filter(t -> t.status() != RoadmapStatus.CANCELLED)
                .toList());
        Map<String, Double> best = new HashMap<>();
        Map<String, String> previous = new HashMap<>();
        String end = null;
        for (String id : topological(byId)) {
            PlanItem item = byId.get(id);
            double before = 0;
            String via = null;
            for (String dep : new TreeSet<>(item.dependsOn())) {
                Double d = best.get(dep);
                if (d != null && (via == null || d > before)) {
                    before = d;
                    via = dep;
                }
            }
            double total = before + item.weight();
            best.put(id, total);
            if (via != null) {
                previous.put(id, via);
            }
            if (end == null || total > best.get(end) || (total == best.get(end) && id.compareTo(end) < 0)) {
                end = id;
            }
        }
        List<PlanItem> path = new ArrayList<>();
        double remaining = 0;
        for (String id = end; id != null; id = previous.get(id)) {
            PlanItem item = byId.get(id);
            path.add(item);
            if (item.status() != RoadmapStatus.DONE) {
                remaining += item.weight();
            }
        }
        Collections.reverse(path);
        return new CriticalPath(milestone, end == null ? 0 : best.get(end), remaining, path);
    }

    private static Map<String, PlanItem> index(Collection<PlanItem> items) {
        Map<String, PlanItem> byId = new LinkedHashMap<>();
        items.forEach(i -> byId.put(i.id(), i));
        return byId;
    }

    /** Kahn's algorithm over the edges among {@code byId}: every id after all of its dependencies, ties by id. */
    private static List<String> topological(Map<String, PlanItem> byId) {
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<String>> dependents = new HashMap<>();
        for (PlanItem item : byId.values()) {
            Set<String> deps = new HashSet<>();
            for (String dep : item.dependsOn()) {
                if (byId.containsKey(dep) && deps.add(dep)) {
                    dependents.computeIfAbsent(dep, k -> new ArrayList<>()).add(item.id());
                }
            }
            waiting.put(item.id(), deps.size());
        }
        TreeSet<String> free = new TreeSet<>();
        waiting.forEach((id, n) -> {
            if (n == 0) {
                free.add(id);
            }
        });
        List<String> out = new ArrayList<>(byId.size());
        while (!free.isEmpty()) {
            String id = free.pollFirst();
            out.add(id);
            for (String dependent : dependents.getOrDefault(id, List.of())) {
                if (waiting.merge(dependent, -1, Integer::sum) == 0) {
                    free.add(dependent);
                }
            }
        }
        if (out.size() != byId.size()) {
            throw new IllegalStateException("the dependencies form a cycle");
        }
        return out;
    }
}
