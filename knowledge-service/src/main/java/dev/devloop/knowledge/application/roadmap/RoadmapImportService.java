package dev.devloop.knowledge.application.roadmap;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.knowledge.application.KnowledgeTenants;
import dev.devloop.knowledge.domain.roadmap.DependencyGraph;
import dev.devloop.knowledge.domain.roadmap.ImportResult;
import dev.devloop.knowledge.domain.roadmap.RoadmapLevel;
import dev.devloop.knowledge.domain.roadmap.RoadmapLinks;
import dev.devloop.knowledge.domain.roadmap.RoadmapNode;
import dev.devloop.knowledge.domain.roadmap.RoadmapRules;
import dev.devloop.knowledge.domain.roadmap.RoadmapStatus;
import dev.devloop.knowledge.ports.in.ImportRoadmapUseCase;
import dev.devloop.knowledge.ports.out.RoadmapStorePort;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Imports the nested document {@code {milestones: [{id, name, phases: [{…, modules: [{…, features: [{…, tasks:
 * […]}]}]}]}]}}. The document is validated whole (400 naming the path of the bad field) before anything is
 * written; then, in one transaction, ids are matched against the tenant's nodes (a node's level cannot change),
 * dependencies are resolved in the document or the graph, cycles are checked over the whole graph with the new
 * edges, and nodes are created, rewritten when a field changed, or left alone. Edges are only added. Statuses in a
 * document are taken as they are (an import states the plan; the transition rules govern changes one by one).
 */
public class RoadmapImportService implements ImportRoadmapUseCase {
    private static final Logger LOG = Logger.getLogger(RoadmapImportService.class);

    private static final Map<RoadmapLevel, String> CHILDREN = Map.of(
            RoadmapLevel.MILESTONE,
            "phases",
            RoadmapLevel.PHASE,
            "modules",
            RoadmapLevel.MODULE,
            "features",
            RoadmapLevel.FEATURE,
            "tasks");
    private static final Set<String> NODE_FIELDS =
            Set.of("id", "name", "description", "status", "owner", "estimate", "metadata");

    private final RoadmapStorePort store;
    private final RoadmapLimits limits;
    private final RoadmapFields fields;
    private final Clock clock;

    public RoadmapImportService(RoadmapStorePort store, RoadmapLimits limits, Clock clock) {
        this.store = store;
        this.limits = limits;
        this.fields = new RoadmapFields(limits);
        this.clock = clock;
    }

    /** One node of the document, with the fields it states (absent ones keep an existing node's values). */
    private record Entry(
            String path,
            RoadmapLevel level,
            String id,
            String parentId,
            Map<String, Object> stated,
            List<String> dependsOn) {}

    @Override
    public ImportResult importRoadmap(String tenant, Map<String, Object> document) {
        String t = KnowledgeTenants.checked(tenant);
        if (document == null) {
            throw RoadmapFields.bad("body", "a document with milestones is required");
        }
        RoadmapFields.onlyKnown("", document, Set.of("milestones"));
        List<Entry> entries = new ArrayList<>();
        walk("milestones", document.get("milestones"), RoadmapLevel.MILESTONE, null, entries);
        Map<String, Entry> byId = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (byId.putIfAbsent(e.id(), e) != null) {
                throw RoadmapFields.bad(
                        e.path() + ".id",
                        "id " + e.id() + " appears twice (first at "
                                + byId.get(e.id()).path() + ")");
            }
        }
        Instant now = clock.instant();
        ImportResult result = store.write(t, true, tx -> {
            Map<String, RoadmapNode> existing = tx.nodes(byId.keySet());
            Set<String> outside = new LinkedHashSet<>();
            entries.forEach(e ->
                    e.dependsOn().stream().filter(d -> !byId.containsKey(d)).forEach(outside::add));
            Map<String, RoadmapNode> external = tx.nodes(outside);
            for (Entry e : entries) {
                RoadmapNode old = existing.get(e.id());
                if (old != null && old.level() != e.level()) {
                    throw RoadmapFields.bad(
                            e.path() + ".id",
                            e.id() + " exists as a " + old.level().wireName() + ", not a "
                                    + e.level().wireName());
                }
                for (int i = 0; i < e.dependsOn().size(); i++) {
                    String dep = e.dependsOn().get(i);
                    RoadmapLevel depLevel = byId.containsKey(dep)
                            ? byId.get(dep).level()
                            : external.containsKey(dep) ? external.get(dep).level() : null;
                    String field = e.path() + ".dependsOn[" + i + "]";
                    if (depLevel == null) {
                        throw RoadmapProblem.badField(
                                "unknown-dependency", field, "No roadmap node " + dep + " to depend on.");
                    }
                    RoadmapRules.dependencyProblem(e.level(), depLevel).ifPresent(problem -> {
                        throw RoadmapFields.bad(field, problem + " (" + e.id() + " → " + dep + ")");
                    });
                }
            }
            Map<String, List<String>> newEdges = new LinkedHashMap<>();
            entries.stream().filter(e -> !e.dependsOn().isEmpty()).forEach(e -> newEdges.put(e.id(), e.dependsOn()));
            if (!newEdges.isEmpty()) {
                Map<String, List<String>> graph = tx.dependencyEdges(limits.maxImportEdges());
                if (graph.values().stream().mapToLong(List::size).sum() > limits.maxImportEdges()) {
                    throw RoadmapProblem.tooLarge("dependency graph", limits.maxImportEdges());
                }
                Map<String, Set<String>> merged = new HashMap<>();
                graph.forEach((k, v) ->
                        merged.computeIfAbsent(k, x -> new LinkedHashSet<>()).addAll(v));
                newEdges.forEach((k, v) ->
                        merged.computeIfAbsent(k, x -> new LinkedHashSet<>()).addAll(v));
                DependencyGraph.findCycle(merged).ifPresent(cycle -> {
                    throw RoadmapProblem.cycle(cycle);
                });
            }
            List<RoadmapNode> creates = new ArrayList<>();
            List<RoadmapNode> updates = new ArrayList<>();
            int unchanged = 0;
            for (Entry e : entries) {
                RoadmapNode old = existing.get(e.id());
                RoadmapNode next = node(t, e, old, now);
                if (old == null) {
                    creates.add(next);
                } else if (next.sameContent(old)) {
                    unchanged++;
                } else {
                    updates.add(next.changed(now));
                }
            }
            int added = tx.apply(creates, updates, newEdges);
            ImportResult r = new ImportResult(creates.size(), updates.size(), unchanged, added);
            tx.emit(List.of(RoadmapMaps.imported(r)));
            return r;
        });
        LogFields.of(
                        "tenant",
                        t,
                        "nodes",
                        entries.size(),
                        "created",
                        result.created(),
                        "updated",
                        result.updated(),
                        "unchanged",
                        result.unchanged(),
                        "dependencies",
                        result.dependencies())
                .info(LOG, "roadmap imported");
        return result;
    }

    private RoadmapNode node(String tenant, Entry e, RoadmapNode old, Instant now) {
        Map<String, Object> s = e.stated();
        if (old == null) {
            return new RoadmapNode(
                    tenant,
                    e.id(),
                    e.level(),
                    e.parentId(),
                    (String) s.get("name"),
                    (String) s.get("description"),
                    (RoadmapStatus) s.getOrDefault("status", RoadmapStatus.PLANNED),
                    (String) s.get("owner"),
                    (Double) s.get("estimate"),
                    metadata(s, Map.of()),
                    RoadmapLinks.EMPTY,
                    now,
                    now,
                    1);
        }
        return new RoadmapNode(
                tenant,
                e.id(),
                e.level(),
                e.parentId(),
                (String) s.get("name"),
                s.containsKey("description") ? (String) s.get("description") : old.description(),
                s.containsKey("status") ? (RoadmapStatus) s.get("status") : old.status(),
                s.containsKey("owner") ? (String) s.get("owner") : old.owner(),
                s.containsKey("estimate") ? (Double) s.get("estimate") : old.estimate(),
                metadata(s, old.metadata()),
                old.links(),
                old.createdAt(),
                old.updatedAt(),
                old.version());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> stated, Map<String, Object> fallback) {
        return stated.containsKey("metadata") ? (Map<String, Object>) stated.get("metadata") : fallback;
    }

    /** Validates a list of nodes of {@code level} at {@code path} and, recursively, their children. */
    private void walk(String path, Object value, RoadmapLevel level, String parentId, List<Entry> out) {
        if (value == null) {
            if (level == RoadmapLevel.MILESTONE) {
                throw RoadmapFields.bad(path, "milestones is required (a list)");
            }
            return;
        }
        if (!(value instanceof List<?> list)) {
            throw RoadmapFields.bad(path, path + " must be a list");
        }
        for (int i = 0; i < list.size(); i++) {
            String at = path + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> raw)) {
                throw RoadmapFields.bad(at, at + " must be an object");
            }
            if (out.size() >= limits.maxImportNodes()) {
                throw RoadmapFields.bad(at, "an import holds at most " + limits.maxImportNodes() + " nodes");
            }
            Map<String, Object> body = RoadmapFields.strings(at, raw);
            String childKey = CHILDREN.get(level);
            Set<String> allowed = new LinkedHashSet<>(NODE_FIELDS);
            if (childKey != null) {
                allowed.add(childKey);
            }
            if (level.schedulable()) {
                allowed.add("dependsOn");
            }
            String p = at + ".";
            RoadmapFields.onlyKnown(p, body, allowed);
            if (!body.containsKey("id")) {
                throw RoadmapFields.bad(p + "id", "every node of an import needs an id");
            }
            String id = RoadmapFields.id(p + "id", body.get("id"));
            Map<String, Object> stated = new HashMap<>();
            stated.put("name", RoadmapFields.name(p + "name", body.get("name")));
            if (body.containsKey("description")) {
                stated.put(
                        "description",
                        RoadmapFields.text(
                                p + "description", body.get("description"), RoadmapFields.MAX_DESCRIPTION, true));
            }
            if (body.containsKey("status")) {
                stated.put("status", RoadmapFields.status(p + "status", body.get("status")));
            }
            if (body.containsKey("owner")) {
                stated.put("owner", RoadmapFields.text(p + "owner", body.get("owner"), RoadmapFields.MAX_OWNER, false));
            }
            if (body.containsKey("estimate")) {
                stated.put("estimate", RoadmapFields.estimate(p + "estimate", body.get("estimate")));
            }
            if (body.containsKey("metadata")) {
                stated.put("metadata", fields.metadata(p + "metadata", body.get("metadata")));
            }
            List<String> deps = fields.dependsOn(p + "dependsOn", body.get("dependsOn"));
            out.add(new Entry(at, level, id, parentId, stated, deps));
            if (childKey != null) {
                walk(p + childKey, body.get(childKey), level.childLevel().orElseThrow(), id, out);
            }
        }
    }
}
