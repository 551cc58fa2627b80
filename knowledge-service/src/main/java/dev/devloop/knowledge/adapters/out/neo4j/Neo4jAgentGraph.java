package dev.devloop.knowledge.adapters.out.neo4j;

import dev.devloop.knowledge.domain.AgentLifecycleEvent;
import dev.devloop.knowledge.domain.AgentNode;
import dev.devloop.knowledge.ports.out.AgentGraphPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;

/**
 * The agent mirror in Neo4j: {@code (:Agent {tenant, id, type, level, status, createdAt, retiredAt})},
 * {@code (parent)-[:PARENT_OF]->(child)} and {@code (from)-[:HANDED_OFF_TO {handoffId, toAgentType,
 * task}]->(to)}. Every statement MERGEs, so replaying an event changes nothing; RETIRED is terminal.
 */
@ApplicationScoped
public class Neo4jAgentGraph implements AgentGraphPort {
    private static final String KEEP_RETIRED = "CASE WHEN a.status = 'RETIRED' THEN a.status ELSE $status END";

    private final Neo4jGraph graph;

    public Neo4jAgentGraph(Neo4jGraph graph) {
        this.graph = graph;
    }

    @Override
    public void apply(AgentLifecycleEvent event) {
        Map<String, Object> p = new HashMap<>();
        p.put("tenant", event.tenant());
        p.put("id", event.agentId());
        graph.write(tx -> {
            if (event instanceof AgentLifecycleEvent.Spawned s) {
                p.put("type", s.agentType());
                p.put("level", s.level());
                p.put("status", s.status() == null ? "ACTIVE" : s.status());
                p.put("createdAt", s.createdAt());
                p.put("parentId", s.parentId());
                tx.run(
                                "MERGE (a:Agent {tenant: $tenant, id: $id}) "
                                        + "SET a.type = $type, a.level = $level, a.createdAt = coalesce(a.createdAt, $createdAt), "
                                        + "a.status = " + KEEP_RETIRED,
                                p)
                        .consume();
                if (s.parentId() != null) {
                    tx.run(
                                    "MATCH (a:Agent {tenant: $tenant, id: $id}) "
                                            + "MERGE (parent:Agent {tenant: $tenant, id: $parentId}) "
                                            + "MERGE (parent)-[:PARENT_OF]->(a)",
                                    p)
                            .consume();
                }
            } else if (event instanceof AgentLifecycleEvent.StatusChanged s) {
                p.put("status", s.status());
                tx.run("MERGE (a:Agent {tenant: $tenant, id: $id}) SET a.status = " + KEEP_RETIRED, p)
                        .consume();
            } else if (event instanceof AgentLifecycleEvent.Retired r) {
                p.put("retiredAt", r.retiredAt());
                tx.run(
                                "MERGE (a:Agent {tenant: $tenant, id: $id}) SET a.status = 'RETIRED', "
                                        + "a.retiredAt = coalesce(a.retiredAt, $retiredAt)",
                                p)
                        .consume();
            } else if (event instanceof AgentLifecycleEvent.HandedOff h) {
                p.put("handoffId", h.handoffId());
                p.put("toId", h.toAgentId());
                p.put("toType", h.toAgentType());
                p.put("task", h.task());
                tx.run(
                                "MERGE (a:Agent {tenant: $tenant, id: $id}) "
                                        + "MERGE (t:Agent {tenant: $tenant, id: $toId}) SET t.type = coalesce(t.type, $toType) "
                                        + "MERGE (a)-[h:HANDED_OFF_TO {handoffId: $handoffId}]->(t) "
                                        + "SET h.toAgentType = $toType, h.task = $task",
                                p)
                        .consume();
            }
            return null;
        });
    }

    @Override
    public List<AgentNode> subtree(String tenant, String agentId, int maxDepth, int maxNodes) {
        Map<String, Object> p = Map.of("tenant", tenant, "id", agentId, "max", maxNodes);
        List<Record> rows = graph.read(tx -> tx.run(
                        "MATCH (root:Agent {tenant: $tenant, id: $id}) "
                                + "MATCH path = (root)-[:PARENT_OF*0.." + Math.max(0, maxDepth) + "]->(a:Agent) "
                                + "WHERE all(n IN nodes(path) WHERE n.tenant = $tenant) "
                                + "WITH DISTINCT a LIMIT $max "
                                + "OPTIONAL MATCH (parent:Agent {tenant: $tenant})-[:PARENT_OF]->(a) "
                                + "OPTIONAL MATCH (a)-[h:HANDED_OFF_TO]->(t:Agent {tenant: $tenant}) "
                                + "RETURN a.id AS id, a.type AS type, a.level AS level, a.status AS status, a.createdAt AS createdAt, "
                                + "a.retiredAt AS retiredAt, min(parent.id) AS parentId, "
                                + "collect(DISTINCT CASE WHEN h IS NULL THEN null ELSE {handoffId: h.handoffId, toAgentId: t.id, "
                                + "toAgentType: h.toAgentType, task: h.task} END) AS handoffs",
                        p)
                .list());
        Map<String, AgentNode> nodes = new LinkedHashMap<>();
        for (Record row : rows) {
            List<AgentNode.Handoff> handoffs = new ArrayList<>();
            for (Value h : row.get("handoffs").values()) {
                handoffs.add(new AgentNode.Handoff(
                        text(h.get("handoffId")),
                        text(h.get("toAgentId")),
                        text(h.get("toAgentType")),
                        text(h.get("task"))));
            }
            handoffs.sort((x, y) -> String.valueOf(x.handoffId()).compareTo(String.valueOf(y.handoffId())));
            String id = row.get("id").asString();
            nodes.put(
                    id,
                    new AgentNode(
                            id,
                            text(row.get("type")),
                            text(row.get("level")),
                            text(row.get("status")),
                            text(row.get("parentId")),
                            text(row.get("createdAt")),
                            text(row.get("retiredAt")),
                            List.copyOf(handoffs)));
        }
        return List.copyOf(nodes.values());
    }

    private static String text(Value v) {
        return v == null || v.isNull() ? null : v.asString();
    }
}
