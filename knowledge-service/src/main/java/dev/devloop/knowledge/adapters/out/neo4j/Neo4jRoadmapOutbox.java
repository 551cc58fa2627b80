package dev.devloop.knowledge.adapters.out.neo4j;

import dev.devloop.knowledge.ports.out.RoadmapOutboxPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/** Reads and trims the roadmap event outbox the roadmap transactions write (see {@link Neo4jRoadmapTx#emit}). */
@ApplicationScoped
public class Neo4jRoadmapOutbox implements RoadmapOutboxPort {
    private final Neo4jGraph graph;

    public Neo4jRoadmapOutbox(Neo4jGraph graph) {
        this.graph = graph;
    }

    @Override
    public List<Pending> oldest(int limit) {
        return graph.read(tx -> tx.run(
                        "MATCH (o:RoadmapOutbox) WHERE o.createdAt IS NOT NULL "
                                + "RETURN o.id AS id, o.tenant AS tenant, o.payload AS payload ORDER BY o.createdAt, o.tenant, o.seq "
                                + "LIMIT $limit",
                        Map.of("limit", limit))
                .list(r -> new Pending(
                        r.get("id").asString(),
                        r.get("tenant").asString(),
                        r.get("payload").asString())));
    }

    @Override
    public void delete(List<String> ids) {
        if (!ids.isEmpty()) {
            graph.write(tx -> tx.run("UNWIND $ids AS id MATCH (o:RoadmapOutbox {id: id}) DELETE o", Map.of("ids", ids))
                    .consume());
        }
    }

    @Override
    public long pending() {
        return graph.read(tx -> tx.run("MATCH (o:RoadmapOutbox) RETURN count(o) AS n")
                .single()
                .get("n")
                .asLong());
    }
}
