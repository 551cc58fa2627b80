package dev.devloop.knowledge.adapters.out.neo4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.contracts.events.EventNames;
import dev.devloop.knowledge.domain.roadmap.PlainJson;
import dev.devloop.knowledge.domain.roadmap.PlanItem;
import dev.devloop.knowledge.domain.roadmap.Progress;
import dev.devloop.knowledge.domain.roadmap.RoadmapEvent;
import dev.devloop.knowledge.domain.roadmap.RoadmapLevel;
import dev.devloop.knowledge.domain.roadmap.RoadmapLinks;
import dev.devloop.knowledge.domain.roadmap.RoadmapNode;
import dev.devloop.knowledge.domain.roadmap.RoadmapStatus;
import dev.devloop.knowledge.ports.out.RoadmapTx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.neo4j.driver.Record;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Value;

/**
 * One transaction on one tenant's roadmap (see {@link Neo4jRoadmapStore}). Every query is anchored on the
 * tenant; variable-length patterns are bounded by the five levels ({@code CONTAINS*..4}) or a given depth.
 * Labels inlined into Cypher come from {@link RoadmapLevel} constants only.
 */
class Neo4jRoadmapTx implements RoadmapTx {
    /** Deepest {@code CONTAINS} chain: milestone → task. */
    private static final int DEPTH = RoadmapLevel.values().length - 1;

    private static final int BATCH = 2000;
    static final String SOURCE = EventNames.source("knowledge-service");
    private static final String EVENT_AREA = "roadmap";

    private final TransactionContext tx;
    private final String tenant;
    private final ObjectMapper json;
    private final CloudEventCodec codec;

    Neo4jRoadmapTx(TransactionContext tx, String tenant, ObjectMapper json, CloudEventCodec codec) {
        this.tx = tx;
        this.tenant = tenant;
        this.json = json;
        this.codec = codec;
    }

    private Map<String, Object> params(Object... pairs) {
        Map<String, Object> p = new HashMap<>();
        p.put("t", tenant);
        for (int i = 0; i < pairs.length; i += 2) {
            p.put((String) pairs[i], pairs[i + 1]);
        }
        return p;
    }

    @Override
    public Optional<RoadmapNode> node(String id) {
        return tx
                .run("MATCH (n:RoadmapNode {tenant: $t, id: $id}) RETURN n", params("id", id))
                .list(this::toNode)
                .stream()
                .findFirst();
    }

    @Override
    public Map<String, RoadmapNode> nodes(Collection<String> ids) {
        Map<String, RoadmapNode> out = new LinkedHashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(ids))) {
            tx.run("UNWIND $ids AS id MATCH (n:RoadmapNode {tenant: $t, id: id}) RETURN n", params("ids", chunk))
                    .list(this::toNode)
                    .forEach(n -> out.put(n.id(), n));
        }
        return out;
    }

    @Override
    public List<RoadmapNode> list(
            RoadmapLevel level, String parentId, RoadmapStatus status, String afterId, int limit) {
        return tx.run(
                        "MATCH (n:RoadmapNode {tenant: $t}) WHERE ($level IS NULL OR n.level = $level) "
                                + "AND ($parent IS NULL OR n.parentId = $parent) AND ($status IS NULL OR n.status = $status) "
                                + "AND ($after IS NULL OR n.id > $after) RETURN n ORDER BY n.id LIMIT $limit",
                        params(
                                "level",
                                level == null ? null : level.wireName(),
                                "parent",
                                parentId,
                                "status",
                                status == null ? null : status.wireName(),
                                "after",
                                afterId,
                                "limit",
                                limit))
                .list(this::toNode);
    }

    @Override
    public List<String> children(String id, int limit) {
        return ids(
                "MATCH (:RoadmapNode {tenant: $t, id: $id})-[:CONTAINS]->(c:RoadmapNode) "
                        + "RETURN c.id AS id ORDER BY id LIMIT $limit",
                params("id", id, "limit", limit));
    }

    @Override
    public long descendants(String id) {
        return tx.run(
                        "MATCH (:RoadmapNode {tenant: $t, id: $id})-[:CONTAINS*1.." + DEPTH + "]->(c:RoadmapNode) "
                                + "RETURN count(DISTINCT c) AS n",
                        params("id", id))
                .single()
                .get("n")
                .asLong();
    }

    @Override
    public List<String> dependsOn(String id, int limit) {
        return ids(
                "MATCH (:RoadmapNode {tenant: $t, id: $id})-[:DEPENDS_ON]->(d:RoadmapNode) "
                        + "RETURN d.id AS id ORDER BY id LIMIT $limit",
                params("id", id, "limit", limit));
    }

    @Override
    public Map<String, RoadmapStatus> dependencyStatuses(String id) {
        Map<String, RoadmapStatus> out = new LinkedHashMap<>();
        tx.run(
                        "MATCH (:RoadmapNode {tenant: $t, id: $id})-[:DEPENDS_ON]->(d:RoadmapNode) "
                                + "RETURN d.id AS id, d.status AS status ORDER BY id",
                        params("id", id))
                .list()
                .forEach(r -> out.put(r.get("id").asString(), status(r.get("status"))));
        return out;
    }

    @Override
    public List<String> ancestors(String id) {
        return ids(
                "MATCH p = (a:RoadmapNode)-[:CONTAINS*1.." + DEPTH + "]->(:RoadmapNode {tenant: $t, id: $id}) "
                        + "WHERE a.tenant = $t RETURN a.id AS id ORDER BY length(p)",
                params("id", id));
    }

    @Override
    public Map<String, Progress> progress(Collection<String> ids) {
        Map<String, Progress> out = new HashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(ids))) {
            tx.run(
                            "UNWIND $ids AS id MATCH (n:RoadmapNode {tenant: $t, id: id}) "
                                    + "OPTIONAL MATCH (n)-[:CONTAINS*0.." + DEPTH
                                    + "]->(k:Task) WHERE k.tenant = $t AND k.status <> 'cancelled' "
                                    + "WITH n, k, CASE WHEN k IS NULL THEN 0.0 WHEN k.estimate > 0 THEN toFloat(k.estimate) ELSE 1.0 END AS w "
                                    + "RETURN n.id AS id, count(k) AS tasks, sum(CASE WHEN k.status = 'done' THEN 1 ELSE 0 END) AS done, "
                                    + "sum(w) AS total, sum(CASE WHEN k.status = 'done' THEN w ELSE 0.0 END) AS doneWeight",
                            params("ids", chunk))
                    .list()
                    .forEach(r -> out.put(
                            r.get("id").asString(),
                            Progress.of(
                                    r.get("tasks").asLong(),
                                    r.get("done").asLong(),
                                    r.get("total").asDouble(),
                                    r.get("doneWeight").asDouble())));
        }
        return out;
    }

    @Override
    public Optional<List<String>> dependencyPath(String fromId, String toId, int maxDepth) {
        List<Record> rows = tx.run(
                        "MATCH (a:RoadmapNode {tenant: $t, id: $from}), (b:RoadmapNode {tenant: $t, id: $to}) "
                                + "MATCH p = shortestPath((a)-[:DEPENDS_ON*1.." + maxDepth + "]->(b)) "
                                + "RETURN [x IN nodes(p) | x.id] AS ids",
                        params("from", fromId, "to", toId))
                .list();
        return rows.isEmpty()
                ? Optional.empty()
                : Optional.of(rows.get(0).get("ids").asList(Value::asString));
    }

    @Override
    public Map<String, List<String>> dependencyEdges(int max) {
        Map<String, List<String>> out = new HashMap<>();
        tx.run(
                        "MATCH (a:RoadmapNode {tenant: $t})-[:DEPENDS_ON]->(b:RoadmapNode) "
                                + "RETURN a.id AS a, b.id AS b LIMIT $max",
                        params("max", max + 1))
                .list()
                .forEach(r -> out.computeIfAbsent(r.get("a").asString(), k -> new ArrayList<>())
                        .add(r.get("b").asString()));
        return out;
    }

    @Override
    public List<RoadmapNode> subtree(String id, int depth, int max) {
        return tx.run(
                        "MATCH p = (:RoadmapNode {tenant: $t, id: $id})-[:CONTAINS*0.." + depth + "]->(n:RoadmapNode) "
                                + "WITH n, length(p) AS d ORDER BY d, n.id LIMIT $max RETURN n",
                        params("id", id, "max", max))
                .list(this::toNode);
    }

    /** The features or tasks of {@code level}, under a node or all of the tenant's. */
    private static String scope(RoadmapLevel level, String underId) {
        return underId == null
                ? "MATCH (n:" + level.label() + " {tenant: $t}) "
                : "MATCH (:RoadmapNode {tenant: $t, id: $under})-[:CONTAINS*0.." + DEPTH + "]->(n:" + level.label()
                        + ") ";
    }

    @Override
    public List<PlanItem> plan(RoadmapLevel level, String underId, int max) {
        return tx.run(
                        scope(level, underId) + "WITH DISTINCT n LIMIT $max "
                                + "OPTIONAL MATCH (n)-[:DEPENDS_ON]->(d:RoadmapNode) "
                                + "RETURN n.id AS id, n.name AS name, n.status AS status, n.estimate AS estimate, collect(d.id) AS deps",
                        params("under", underId, "max", max))
                .list(r -> new PlanItem(
                        r.get("id").asString(),
                        r.get("name").asString(),
                        status(r.get("status")),
                        r.get("estimate").isNull() ? null : r.get("estimate").asDouble(),
                        r.get("deps").asList(Value::asString)));
    }

    @Override
    public List<RoadmapNode> ready(RoadmapLevel level, String underId, int limit) {
        return tx.run(
                        scope(level, underId) + "WITH DISTINCT n WHERE n.status = 'planned' "
                                + "AND NOT EXISTS { MATCH (n)-[:DEPENDS_ON]->(d:RoadmapNode) WHERE d.status <> 'done' } "
                                + "RETURN n ORDER BY n.id LIMIT $limit",
                        params("under", underId, "limit", limit))
                .list(this::toNode);
    }

    @Override
    public void create(RoadmapNode node) {
        tx.run("CREATE (n:RoadmapNode:" + node.level().label() + ") SET n = $props", params("props", props(node)))
                .consume();
        contain(node);
    }

    @Override
    public void update(RoadmapNode node) {
        tx.run(
                        "MATCH (n:RoadmapNode {tenant: $t, id: $id}) SET n += $props "
                                + "WITH n OPTIONAL MATCH (old:RoadmapNode)-[r:CONTAINS]->(n) WHERE old.id <> $parent OR $parent IS NULL "
                                + "DELETE r",
                        params("id", node.id(), "props", props(node), "parent", node.parentId()))
                .consume();
        contain(node);
    }

    private void contain(RoadmapNode node) {
        if (node.parentId() != null) {
            tx.run(
                            "MATCH (p:RoadmapNode {tenant: $t, id: $parent}), (n:RoadmapNode {tenant: $t, id: $id}) "
                                    + "MERGE (p)-[:CONTAINS]->(n)",
                            params("parent", node.parentId(), "id", node.id()))
                    .consume();
        }
    }

    @Override
    public List<RoadmapNode> delete(String id, boolean cascade) {
        String reach = cascade ? "*0.." + DEPTH : "*0..0";
        List<RoadmapNode> gone = tx.run(
                        "MATCH p = (:RoadmapNode {tenant: $t, id: $id})-[:CONTAINS" + reach
                                + "]->(n:RoadmapNode) WITH n, length(p) AS d ORDER BY d DESC, n.id RETURN DISTINCT n",
                        params("id", id))
                .list(this::toNode);
        for (List<String> chunk : chunks(gone.stream().map(RoadmapNode::id).toList())) {
            tx.run("UNWIND $ids AS id MATCH (n:RoadmapNode {tenant: $t, id: id}) DETACH DELETE n", params("ids", chunk))
                    .consume();
        }
        return gone;
    }

    @Override
    public boolean addDependency(String fromId, String toId) {
        Map<String, Object> p = params("from", fromId, "to", toId);
        boolean exists = tx.run(
                                "MATCH (:RoadmapNode {tenant: $t, id: $from})-[r:DEPENDS_ON]->"
                                        + "(:RoadmapNode {tenant: $t, id: $to}) RETURN count(r) AS n",
                                p)
                        .single()
                        .get("n")
                        .asLong()
                > 0;
        if (exists) {
            return false;
        }
        return tx.run(
                                "MATCH (a:RoadmapNode {tenant: $t, id: $from}), (b:RoadmapNode {tenant: $t, id: $to}) "
                                        + "CREATE (a)-[:DEPENDS_ON]->(b) RETURN count(*) AS n",
                                p)
                        .single()
                        .get("n")
                        .asLong()
                > 0;
    }

    @Override
    public boolean removeDependency(String fromId, String toId) {
        return tx.run(
                                "MATCH (:RoadmapNode {tenant: $t, id: $from})-[r:DEPENDS_ON]->(:RoadmapNode {tenant: $t, id: $to}) "
                                        + "DELETE r RETURN count(r) AS n",
                                params("from", fromId, "to", toId))
                        .single()
                        .get("n")
                        .asLong()
                > 0;
    }

    @Override
    public int apply(List<RoadmapNode> creates, List<RoadmapNode> updates, Map<String, List<String>> edges) {
        Map<RoadmapLevel, List<Map<String, Object>>> byLevel = new LinkedHashMap<>();
        creates.forEach(
                n -> byLevel.computeIfAbsent(n.level(), k -> new ArrayList<>()).add(props(n)));
        byLevel.forEach((level, rows) -> chunks(rows).forEach(chunk -> tx.run(
                        "UNWIND $rows AS row " + "CREATE (n:RoadmapNode:" + level.label() + ") SET n = row",
                        params("rows", chunk))
                .consume()));
        List<Map<String, Object>> updated = updates.stream().map(this::props).toList();
        chunks(updated).forEach(chunk -> tx.run(
                        "UNWIND $rows AS row MATCH (n:RoadmapNode {tenant: $t, id: row.id}) "
                                + "SET n += row WITH n, row OPTIONAL MATCH (old:RoadmapNode)-[r:CONTAINS]->(n) "
                                + "WHERE old.id <> row.parentId OR row.parentId IS NULL DELETE r",
                        params("rows", chunk))
                .consume());
        List<Map<String, Object>> links = new ArrayList<>();
        for (List<RoadmapNode> nodes : List.of(creates, updates)) {
            nodes.stream()
                    .filter(n -> n.parentId() != null)
                    .forEach(n -> links.add(Map.of("parent", n.parentId(), "id", n.id())));
        }
        chunks(links).forEach(chunk -> tx.run(
                        "UNWIND $rows AS row "
                                + "MATCH (p:RoadmapNode {tenant: $t, id: row.parent}), (n:RoadmapNode {tenant: $t, id: row.id}) "
                                + "MERGE (p)-[:CONTAINS]->(n)",
                        params("rows", chunk))
                .consume());
        List<Map<String, Object>> deps = new ArrayList<>();
        edges.forEach((from, tos) -> tos.forEach(to -> deps.add(Map.of("from", from, "to", to))));
        int added = 0;
        for (List<Map<String, Object>> chunk : chunks(deps)) {
            added += tx.run(
                            "UNWIND $rows AS row "
                                    + "MATCH (a:RoadmapNode {tenant: $t, id: row.from}), (b:RoadmapNode {tenant: $t, id: row.to}) "
                                    + "WHERE NOT (a)-[:DEPENDS_ON]->(b) CREATE (a)-[:DEPENDS_ON]->(b) RETURN count(*) AS n",
                            params("rows", chunk))
                    .single()
                    .get("n")
                    .asInt();
        }
        return added;
    }

    /**
     * {@link #doneFeatures}'s statement. Every milestone is also a {@code RoadmapNode} ({@link #create}), so matching
     * both labels lets Neo4j seek the {@code devloop_roadmap_node_key} index {@code RoadmapNode(tenant, id)}; with
     * {@code Milestone} alone (no index of its own) the plan was a {@code NodeByLabelScan} of every tenant's milestones
     * (stop 38, part 3).
     */
    static final String DONE_FEATURES = "MATCH (m:RoadmapNode:Milestone {tenant: $t, id: $id}) "
            + "OPTIONAL MATCH (m)-[:CONTAINS*3]->(f:Feature) WHERE f.tenant = $t AND f.status = 'done' "
            + "WITH m, f ORDER BY f.id LIMIT $max RETURN m.name AS milestone, collect(f) AS features";

    @Override
    public Optional<Features> doneFeatures(String milestoneId, int max) {
        return tx
                .run(DONE_FEATURES, params("id", milestoneId, "max", max + 1))
                .list(r -> new Features(
                        r.get("milestone").asString(), r.get("features").asList(this::toNode)))
                .stream()
                .findFirst();
    }

    @Override
    public Optional<Features> featureWithMilestone(String featureId) {
        return tx
                .run(
                        "MATCH (f:Feature {tenant: $t, id: $id}) "
                                + "OPTIONAL MATCH (m:Milestone)-[:CONTAINS*3]->(f) WHERE m.tenant = $t "
                                + "RETURN f, m.name AS milestone LIMIT 1",
                        params("id", featureId))
                .list(r -> new Features(text(r.get("milestone")), List.of(toNode(r.get("f")))))
                .stream()
                .findFirst();
    }

    @Override
    public void emit(List<RoadmapEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        String now = Instant.now().toString();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RoadmapEvent e : events) {
            String id = UUID.randomUUID().toString();
            CloudEvent event = new CloudEvent(
                    CloudEvent.SPEC_VERSION,
                    id,
                    SOURCE,
                    eventType(e.type()),
                    now,
                    e.subject(),
                    CloudEvent.JSON,
                    tenant,
                    json.valueToTree(e.data()));
            rows.add(Map.of("id", id, "payload", codec.encode(event)));
        }
        // the tenant's lock node carries its event sequence; timestamp() is the database's clock, one for all replicas
        tx.run(
                        "MATCH (l:RoadmapLock {tenant: $t}) WITH l, l.seq AS base SET l.seq = base + size($rows) "
                                + "WITH base, timestamp() AS at UNWIND range(0, size($rows) - 1) AS i "
                                + "CREATE (:RoadmapOutbox {id: $rows[i].id, tenant: $t, seq: base + i + 1, createdAt: at, "
                                + "payload: $rows[i].payload})",
                        params("rows", rows))
                .consume();
    }

    /** The domain's {@code dev.devloop.roadmap.<event>} through the naming scheme, so a misnamed event never ships. */
    private static String eventType(String domainType) {
        if (!domainType.startsWith(RoadmapEvent.TYPE_PREFIX)) {
            throw new IllegalArgumentException("roadmap event type " + domainType + " is outside the roadmap area");
        }
        return EventNames.type(EVENT_AREA, domainType.substring(RoadmapEvent.TYPE_PREFIX.length()));
    }

    private List<String> ids(String query, Map<String, Object> p) {
        return tx.run(query, p).list(r -> r.get("id").asString());
    }

    private static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += BATCH) {
            out.add(all.subList(i, Math.min(all.size(), i + BATCH)));
        }
        return out;
    }

    private Map<String, Object> props(RoadmapNode n) {
        Map<String, Object> p = new HashMap<>();
        p.put("tenant", n.tenant());
        p.put("id", n.id());
        p.put("level", n.level().wireName());
        p.put("parentId", n.parentId());
        p.put("name", n.name());
        p.put("description", n.description());
        p.put("status", n.status().wireName());
        p.put("owner", n.owner());
        p.put("estimate", n.estimate());
        p.put("metadata", PlainJson.write(n.metadata()));
        RoadmapLinks l = n.links();
        p.put("branch", l.branch());
        p.put("prNumber", l.pullRequest() == null ? null : l.pullRequest().number());
        p.put("prUrl", l.pullRequest() == null ? null : l.pullRequest().url());
        p.put("prState", l.pullRequest() == null ? null : l.pullRequest().state());
        p.put("hasPullRequest", l.pullRequest() == null ? null : true);
        p.put("commits", l.commits().isEmpty() ? null : l.commits());
        p.put("checksStatus", l.checks() == null ? null : l.checks().status());
        p.put("checksConclusion", l.checks() == null ? null : l.checks().conclusion());
        p.put("checksUrl", l.checks() == null ? null : l.checks().url());
        p.put("checksSummary", l.checks() == null ? null : l.checks().summary());
        p.put("hasChecks", l.checks() == null ? null : true);
        p.put("runs", l.runs().isEmpty() ? null : l.runs());
        p.put("createdAt", n.createdAt().toEpochMilli());
        p.put("updatedAt", n.updatedAt().toEpochMilli());
        p.put("version", n.version());
        return p;
    }

    private RoadmapNode toNode(Record r) {
        return toNode(r.get("n"));
    }

    private RoadmapNode toNode(Value n) {
        RoadmapLinks.PullRequest pr = n.get("hasPullRequest").isNull()
                ? null
                : new RoadmapLinks.PullRequest(
                        n.get("prNumber").isNull() ? null : n.get("prNumber").asLong(),
                        text(n.get("prUrl")),
                        text(n.get("prState")));
        RoadmapLinks.Checks checks = n.get("hasChecks").isNull()
                ? null
                : new RoadmapLinks.Checks(
                        text(n.get("checksStatus")),
                        text(n.get("checksConclusion")),
                        text(n.get("checksUrl")),
                        text(n.get("checksSummary")));
        RoadmapLinks links =
                new RoadmapLinks(text(n.get("branch")), pr, strings(n.get("commits")), checks, strings(n.get("runs")));
        return new RoadmapNode(
                n.get("tenant").asString(),
                n.get("id").asString(),
                RoadmapLevel.fromWire(n.get("level").asString()).orElseThrow(),
                text(n.get("parentId")),
                n.get("name").asString(),
                text(n.get("description")),
                status(n.get("status")),
                text(n.get("owner")),
                n.get("estimate").isNull() ? null : n.get("estimate").asDouble(),
                metadata(n.get("metadata")),
                links,
                Instant.ofEpochMilli(n.get("createdAt").asLong()),
                Instant.ofEpochMilli(n.get("updatedAt").asLong()),
                n.get("version").asLong());
    }

    private Map<String, Object> metadata(Value v) {
        if (v.isNull()) {
            return Map.of();
        }
        try {
            return json.readValue(v.asString(), new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored roadmap metadata is not JSON", e);
        }
    }

    private static RoadmapStatus status(Value v) {
        return RoadmapStatus.fromWire(v.asString()).orElseThrow();
    }

    private static List<String> strings(Value v) {
        return v.isNull() ? List.of() : v.asList(Value::asString);
    }

    private static String text(Value v) {
        return v == null || v.isNull() ? null : v.asString();
    }
}
