package dev.devloop.knowledge.application.roadmap;

import dev.devloop.contracts.PageKeys;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.knowledge.application.KnowledgeTenants;
import dev.devloop.knowledge.domain.ListPage;
import dev.devloop.knowledge.domain.roadmap.CriticalPath;
import dev.devloop.knowledge.domain.roadmap.DependencyGraph;
import dev.devloop.knowledge.domain.roadmap.NodeDetails;
import dev.devloop.knowledge.domain.roadmap.PlanItem;
import dev.devloop.knowledge.domain.roadmap.Progress;
import dev.devloop.knowledge.domain.roadmap.RoadmapEvent;
import dev.devloop.knowledge.domain.roadmap.RoadmapLevel;
import dev.devloop.knowledge.domain.roadmap.RoadmapLinks;
import dev.devloop.knowledge.domain.roadmap.RoadmapNode;
import dev.devloop.knowledge.domain.roadmap.RoadmapRules;
import dev.devloop.knowledge.domain.roadmap.RoadmapStatus;
import dev.devloop.knowledge.domain.roadmap.TreeNode;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.in.RoadmapUseCase;
import dev.devloop.knowledge.ports.out.RoadmapStorePort;
import dev.devloop.knowledge.ports.out.RoadmapTx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Nodes, dependencies and derived views of the roadmap graph, validated, bounded and tenant-scoped. */
public class RoadmapService implements RoadmapUseCase {
    private static final Logger LOG = Logger.getLogger(RoadmapService.class);

    private static final Set<String> CREATE_FIELDS = Set.of(
            "id", "level", "parentId", "name", "description", "status", "owner", "estimate", "metadata", "dependsOn");
    private static final Set<String> PATCH_FIELDS =
            Set.of("name", "description", "status", "owner", "estimate", "metadata", "links");

    private static final int MAX_DEPTH_PARAM = 10;

    private final RoadmapStorePort store;
    private final RoadmapLimits limits;
    private final RoadmapFields fields;
    private final Clock clock;

    public RoadmapService(RoadmapStorePort store, RoadmapLimits limits, Clock clock) {
        this.store = store;
        this.limits = limits;
        this.fields = new RoadmapFields(limits);
        this.clock = clock;
    }

    @Override
    public RoadmapNode create(String tenant, Map<String, Object> body) {
        String t = KnowledgeTenants.checked(tenant);
        if (body == null) {
            throw RoadmapFields.bad("body", "a JSON object with level and name is required");
        }
        RoadmapFields.onlyKnown("", body, CREATE_FIELDS);
        RoadmapLevel level = RoadmapFields.level("level", body.get("level"));
        String id = body.get("id") == null
                ? level.wireName() + "-" + UUID.randomUUID().toString().substring(0, 13)
                : RoadmapFields.id("id", body.get("id"));
        String parentId = parentId(level, body.get("parentId"));
        String name = RoadmapFields.name("name", body.get("name"));
        String description =
                RoadmapFields.text("description", body.get("description"), RoadmapFields.MAX_DESCRIPTION, true);
        RoadmapStatus status =
                body.get("status") == null ? RoadmapStatus.PLANNED : RoadmapFields.status("status", body.get("status"));
        String owner = RoadmapFields.text("owner", body.get("owner"), RoadmapFields.MAX_OWNER, false);
        Double estimate = RoadmapFields.estimate("estimate", body.get("estimate"));
        Map<String, Object> metadata = fields.metadata("metadata", body.get("metadata"));
        List<String> dependsOn = fields.dependsOn("dependsOn", body.get("dependsOn"));
        if (!dependsOn.isEmpty() && !level.schedulable()) {
            throw RoadmapFields.bad("dependsOn", "only features and tasks have dependencies");
        }
        if (dependsOn.contains(id)) {
            throw RoadmapProblem.cycle(List.of(id, id));
        }
        Instant now = clock.instant();
        RoadmapNode node = new RoadmapNode(
                t,
                id,
                level,
                parentId,
                name,
                description,
                status,
                owner,
                estimate,
                metadata,
                RoadmapLinks.EMPTY,
                now,
                now,
                1);
        RoadmapNode created = store.write(t, false, tx -> {
            if (tx.node(id).isPresent()) {
                throw RoadmapProblem.conflict(
                        "node-exists", "Node exists", "A roadmap node " + id + " exists.", Map.of("id", id));
            }
            checkParent(tx, level, parentId);
            Map<String, RoadmapNode> deps = tx.nodes(dependsOn);
            for (String dep : dependsOn) {
                RoadmapNode d = deps.get(dep);
                if (d == null) {
                    throw RoadmapProblem.badField(
                            "unknown-dependency", "dependsOn", "No roadmap node " + dep + " to depend on.");
                }
                checkSameLevel("dependsOn", node, d);
            }
            Map<String, RoadmapStatus> depStatuses = new HashMap<>();
            deps.forEach((depId, d) -> depStatuses.put(depId, d.status()));
            requireDone(id, RoadmapRules.blockingDependencies(level, status, depStatuses));
            tx.create(node);
            dependsOn.forEach(dep -> tx.addDependency(id, dep));
            tx.emit(List.of(RoadmapMaps.created(node)));
            return node;
        });
        LogFields.of("tenant", t, "id", id, "level", level.wireName()).info(LOG, "roadmap node created");
        return created;
    }

    private static String parentId(RoadmapLevel level, Object value) {
        if (value == null) {
            RoadmapRules.nestingProblem(level, null).ifPresent(problem -> {
                throw RoadmapFields.bad("parentId", problem);
            });
            return null;
        }
        String parentId = RoadmapFields.id("parentId", value);
        if (level == RoadmapLevel.MILESTONE) {
            throw RoadmapFields.bad(
                    "parentId",
                    RoadmapRules.nestingProblem(level, RoadmapLevel.PHASE).orElseThrow());
        }
        return parentId;
    }

    private static void checkParent(RoadmapTx tx, RoadmapLevel level, String parentId) {
        if (parentId == null) {
            return;
        }
        RoadmapNode parent = tx.node(parentId)
                .orElseThrow(() -> RoadmapProblem.badField(
                        "unknown-parent", "parentId", "No roadmap node " + parentId + " to be the parent."));
        RoadmapRules.nestingProblem(level, parent.level()).ifPresent(problem -> {
            throw RoadmapFields.bad("parentId", problem + " (" + parentId + ")");
        });
    }

    private static void checkSameLevel(String field, RoadmapNode node, RoadmapNode dep) {
        RoadmapRules.dependencyProblem(node.level(), dep.level()).ifPresent(problem -> {
            throw RoadmapFields.bad(field, problem + " (" + node.id() + " → " + dep.id() + ")");
        });
    }

    private static void requireDone(String id, List<String> notDone) {
        if (!notDone.isEmpty()) {
            throw RoadmapProblem.conflict(
                    "dependencies-not-done",
                    "Dependencies not done",
                    id + " depends on work that is not done: " + String.join(", ", notDone) + ".",
                    Map.of("dependencies", notDone));
        }
    }

    @Override
    public ListPage<RoadmapNode> list(
            String tenant, String level, String parentId, String status, Integer limit, String after) {
        String t = KnowledgeTenants.checked(tenant);
        RoadmapLevel l = level == null ? null : RoadmapFields.level("level", level);
        String parent = parentId == null ? null : RoadmapFields.idParam("parentId", parentId);
        RoadmapStatus s = status == null ? null : RoadmapFields.status("status", status);
        int size = count("limit", limit, limits.defaultListLimit(), limits.maxListLimit());
        List<String> key = PageKeys.decode(after, 1);
        List<RoadmapNode> found = store.read(t, tx -> tx.list(l, parent, s, key == null ? null : key.get(0), size + 1));
        if (found.size() <= size) {
            return new ListPage<>(found, null);
        }
        List<RoadmapNode> items = found.subList(0, size);
        return new ListPage<>(items, PageKeys.encode(items.get(size - 1).id()));
    }

    @Override
    public NodeDetails get(String tenant, String id) {
        String t = KnowledgeTenants.checked(tenant);
        String checked = RoadmapFields.idParam("id", id);
        return store.read(t, tx -> {
            RoadmapNode node = tx.node(checked).orElseThrow(() -> RoadmapProblem.notFound(checked));
            return new NodeDetails(
                    node,
                    tx.dependsOn(checked, limits.maxDependencies()),
                    tx.children(checked, limits.maxChildren()),
                    tx.progress(List.of(checked)).getOrDefault(checked, Progress.NONE));
        });
    }

    @Override
    public RoadmapNode update(String tenant, String id, Map<String, Object> body) {
        String t = KnowledgeTenants.checked(tenant);
        String checked = RoadmapFields.idParam("id", id);
        if (body == null) {
            throw RoadmapFields.bad("body", "a JSON object is required");
        }
        RoadmapFields.onlyKnown("", body, PATCH_FIELDS);
        if (body.containsKey("name")) {
            RoadmapFields.name("name", body.get("name"));
        }
        RoadmapStatus wanted = body.get("status") == null ? null : RoadmapFields.status("status", body.get("status"));
        if (body.containsKey("status") && wanted == null) {
            throw RoadmapFields.bad("status", "status cannot be removed");
        }
        String description =
                RoadmapFields.text("description", body.get("description"), RoadmapFields.MAX_DESCRIPTION, true);
        String owner = RoadmapFields.text("owner", body.get("owner"), RoadmapFields.MAX_OWNER, false);
        Double estimate = RoadmapFields.estimate("estimate", body.get("estimate"));
        Map<String, Object> metadata = fields.metadata("metadata", body.get("metadata"));
        fields.links("links", body.get("links"), RoadmapLinks.EMPTY); // shape checked before the transaction
        Instant now = clock.instant();
        RoadmapNode result = store.write(t, false, tx -> {
            RoadmapNode current = tx.node(checked).orElseThrow(() -> RoadmapProblem.notFound(checked));
            RoadmapNode next = new RoadmapNode(
                    t,
                    checked,
                    current.level(),
                    current.parentId(),
                    body.containsKey("name") ? (String) body.get("name") : current.name(),
                    body.containsKey("description") ? description : current.description(),
                    wanted == null ? current.status() : wanted,
                    body.containsKey("owner") ? owner : current.owner(),
                    body.containsKey("estimate") ? estimate : current.estimate(),
                    body.containsKey("metadata")
                            ? mergedMetadata(current.metadata(), body.get("metadata"), metadata)
                            : current.metadata(),
                    fields.links("links", body.get("links"), current.links()),
                    current.createdAt(),
                    current.updatedAt(),
                    current.version());
            if (next.status() != current.status()) {
                if (!current.status().canMoveTo(next.status())) {
                    throw RoadmapProblem.conflict(
                            "invalid-transition",
                            "Invalid status transition",
                            checked + " cannot move from " + current.status().wireName() + " to "
                                    + next.status().wireName() + ".",
                            Map.of(
                                    "from",
                                    current.status().wireName(),
                                    "to",
                                    next.status().wireName()));
                }
                requireDone(
                        checked,
                        RoadmapRules.blockingDependencies(
                                current.level(), next.status(), tx.dependencyStatuses(checked)));
            }
            if (next.sameContent(current)) {
                return current;
            }
            boolean movesProgress = current.level() == RoadmapLevel.TASK
                    && (next.status() != current.status()
                            || !java.util.Objects.equals(next.estimate(), current.estimate()));
            List<String> ancestors = movesProgress ? tx.ancestors(checked) : List.of();
            Map<String, Progress> before = movesProgress ? tx.progress(ancestors) : Map.of();
            RoadmapNode saved = next.changed(now);
            tx.update(saved);
            List<RoadmapEvent> events = new ArrayList<>(List.of(RoadmapMaps.updated(saved)));
            if (saved.status() != current.status()) {
                events.add(RoadmapMaps.statusChanged(saved, current.status()));
            }
            if (movesProgress) {
                Map<String, Progress> after = tx.progress(ancestors);
                Map<String, RoadmapNode> nodes = tx.nodes(ancestors);
                for (String ancestor : ancestors) {
                    Progress p = after.get(ancestor);
                    if (p != null && !p.equals(before.get(ancestor))) {
                        events.add(RoadmapMaps.progressChanged(nodes.get(ancestor), p));
                    }
                }
            }
            tx.emit(events);
            return saved;
        });
        LogFields.of("tenant", t, "id", checked, "version", result.version()).info(LOG, "roadmap node updated");
        return result;
    }

    @Override
    public void delete(String tenant, String id, boolean cascade) {
        String t = KnowledgeTenants.checked(tenant);
        String checked = RoadmapFields.idParam("id", id);
        int deleted = store.write(t, cascade, tx -> {
            tx.node(checked).orElseThrow(() -> RoadmapProblem.notFound(checked));
            long under = tx.descendants(checked);
            if (under > 0 && !cascade) {
                throw RoadmapProblem.conflict(
                        "node-has-children",
                        "Node has children",
                        checked + " has " + under + " nodes under it; delete with cascade=true to delete them too.",
                        Map.of("children", tx.children(checked, limits.maxChildren())));
            }
            if (under + 1 > limits.maxCascade()) {
                throw RoadmapProblem.tooLarge("subtree of " + checked, limits.maxCascade());
            }
            List<RoadmapNode> gone = tx.delete(checked, cascade);
            tx.emit(gone.stream().map(RoadmapMaps::deleted).toList());
            return gone.size();
        });
        LogFields.of("tenant", t, "id", checked, "nodes", deleted).info(LOG, "roadmap node deleted");
    }

    @Override
    public void addDependency(String tenant, String id, String dependsOnId) {
        String t = KnowledgeTenants.checked(tenant);
        String from = RoadmapFields.idParam("id", id);
        String to = RoadmapFields.idParam("dependsOnId", dependsOnId);
        if (from.equals(to)) {
            throw RoadmapProblem.cycle(List.of(from, from));
        }
        boolean added = store.write(t, false, tx -> {
            RoadmapNode node = tx.node(from).orElseThrow(() -> RoadmapProblem.notFound(from));
            RoadmapNode dep = tx.node(to).orElseThrow(() -> RoadmapProblem.notFound(to));
            checkSameLevel("dependsOnId", node, dep);
            tx.dependencyPath(to, from, limits.maxDependencyDepth()).ifPresent(path -> {
                List<String> cycle = new ArrayList<>(List.of(from));
                cycle.addAll(path);
                throw RoadmapProblem.cycle(cycle);
            });
            if (!tx.addDependency(from, to)) {
                return false;
            }
            RoadmapNode saved = node.changed(clock.instant());
            tx.update(saved);
            tx.emit(List.of(RoadmapMaps.updated(saved)));
            return true;
        });
        LogFields.of("tenant", t, "from", from, "to", to, "added", added).info(LOG, "roadmap dependency put");
    }

    @Override
    public void removeDependency(String tenant, String id, String dependsOnId) {
        String t = KnowledgeTenants.checked(tenant);
        String from = RoadmapFields.idParam("id", id);
        String to = RoadmapFields.idParam("dependsOnId", dependsOnId);
        store.write(t, false, tx -> {
            RoadmapNode node = tx.node(from).orElseThrow(() -> RoadmapProblem.notFound(from));
            if (tx.removeDependency(from, to)) {
                RoadmapNode saved = node.changed(clock.instant());
                tx.update(saved);
                tx.emit(List.of(RoadmapMaps.updated(saved)));
            }
            return null;
        });
    }

    @Override
    public Progress progress(String tenant, String id) {
        String t = KnowledgeTenants.checked(tenant);
        String checked = RoadmapFields.idParam("id", id);
        Progress p = store.read(t, tx -> tx.progress(List.of(checked)).get(checked));
        if (p == null) {
            throw RoadmapProblem.notFound(checked);
        }
        return p;
    }

    @Override
    public Tree tree(String tenant, String id, Integer depth) {
        String t = KnowledgeTenants.checked(tenant);
        String checked = RoadmapFields.idParam("id", id);
        int levels = RoadmapLevel.values().length - 1;
        if (depth != null && (depth < 0 || depth > MAX_DEPTH_PARAM)) {
            throw RoadmapFields.bad("depth", "depth must be between 0 and " + MAX_DEPTH_PARAM);
        }
        // nothing lies deeper than four levels below a milestone: a larger depth is the whole subtree
        int d = depth == null ? levels : Math.min(depth, levels);
        return store.read(t, tx -> {
            List<RoadmapNode> nodes = tx.subtree(checked, d, limits.maxTreeNodes() + 1);
            if (nodes.isEmpty()) {
                throw RoadmapProblem.notFound(checked);
            }
            boolean truncated = nodes.size() > limits.maxTreeNodes();
            List<RoadmapNode> kept = truncated ? nodes.subList(0, limits.maxTreeNodes()) : nodes;
            Map<String, Progress> progress =
                    tx.progress(kept.stream().map(RoadmapNode::id).toList());
            Map<String, List<RoadmapNode>> byParent = new HashMap<>();
            for (RoadmapNode n : kept) {
                byParent.computeIfAbsent(n.parentId() == null ? "" : n.parentId(), k -> new ArrayList<>())
                        .add(n);
            }
            return new Tree(assemble(kept.get(0), byParent, progress), truncated);
        });
    }

    private static TreeNode assemble(
            RoadmapNode node, Map<String, List<RoadmapNode>> byParent, Map<String, Progress> progress) {
        List<TreeNode> children = new ArrayList<>();
        for (RoadmapNode child : byParent.getOrDefault(node.id(), List.of())) {
            children.add(assemble(child, byParent, progress));
        }
        return new TreeNode(node, progress.getOrDefault(node.id(), Progress.NONE), children);
    }

    @Override
    public List<RoadmapNode> ready(String tenant, String level, String under, Integer limit) {
        String t = KnowledgeTenants.checked(tenant);
        RoadmapLevel l = schedulableLevel(level);
        String u = under == null ? null : RoadmapFields.idParam("under", under);
        int size = count("limit", limit, limits.defaultReadyLimit(), limits.maxReadyLimit());
        return store.read(t, tx -> {
            requireUnder(tx, u);
            return tx.ready(l, u, size);
        });
    }

    @Override
    public List<DependencyGraph.Ranked> order(String tenant, String level, String under) {
        String t = KnowledgeTenants.checked(tenant);
        RoadmapLevel l = schedulableLevel(level);
        String u = under == null ? null : RoadmapFields.idParam("under", under);
        List<PlanItem> items = store.read(t, tx -> {
            requireUnder(tx, u);
            return tx.plan(l, u, limits.maxViewNodes() + 1);
        });
        if (items.size() > limits.maxViewNodes()) {
            throw RoadmapProblem.tooLarge("order", limits.maxViewNodes());
        }
        return DependencyGraph.order(items);
    }

    /**
     * Longest weighted path in a DAG, which Cypher cannot express without enumerating paths: one query loads the
     * minimal projection of the milestone's tasks (id, name, status, estimate, dependency ids), then the domain
     * function computes it in linear time.
     */
    @Override
    public CriticalPath criticalPath(String tenant, String milestoneId) {
        String t = KnowledgeTenants.checked(tenant);
        String m = RoadmapFields.idParam("id", milestoneId);
        List<PlanItem> tasks = store.read(t, tx -> {
            RoadmapNode node = tx.node(m)
                    .filter(n -> n.level() == RoadmapLevel.MILESTONE)
                    .orElseThrow(() ->
                            KnowledgeRefusal.notFound("node-not-found", "No milestone " + m + " for this tenant."));
            return tx.plan(RoadmapLevel.TASK, node.id(), limits.maxViewNodes() + 1);
        });
        if (tasks.size() > limits.maxViewNodes()) {
            throw RoadmapProblem.tooLarge("milestone " + m, limits.maxViewNodes());
        }
        return DependencyGraph.criticalPath(m, tasks);
    }

    private static void requireUnder(RoadmapTx tx, String under) {
        if (under != null && tx.node(under).isEmpty()) {
            throw RoadmapProblem.notFound(under);
        }
    }

    private static RoadmapLevel schedulableLevel(String level) {
        RoadmapLevel l = level == null ? RoadmapLevel.TASK : RoadmapFields.level("level", level);
        if (!l.schedulable()) {
            throw RoadmapFields.bad("level", "level must be task or feature");
        }
        return l;
    }

    private static int count(String field, Integer value, int fallback, int max) {
        int v = value == null ? fallback : value;
        if (v < 1 || v > max) {
            throw RoadmapFields.bad(field, field + " must be between 1 and " + max);
        }
        return v;
    }

    /**
     * {@code metadata} in a PATCH is a JSON merge patch (RFC 7396) of the node's metadata at the top level: keys
     * given replace theirs, a key given as {@code null} is removed, others stay (so two agents recording different
     * keys do not erase each other); {@code "metadata": null} clears it. The result is bounded like a whole one.
     */
    private Map<String, Object> mergedMetadata(Map<String, Object> current, Object patch, Map<String, Object> checked) {
        if (patch == null) {
            return Map.of();
        }
        Map<String, Object> merged = new java.util.LinkedHashMap<>(current);
        checked.forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        });
        return fields.metadata("metadata", merged);
    }
}
