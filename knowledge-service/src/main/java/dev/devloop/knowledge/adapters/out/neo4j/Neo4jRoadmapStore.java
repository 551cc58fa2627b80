package dev.devloop.knowledge.adapters.out.neo4j;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.knowledge.ports.out.RoadmapStorePort;
import dev.devloop.knowledge.ports.out.RoadmapTx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.function.Function;

/**
 * The roadmap graph in Neo4j: {@code (:RoadmapNode:<Level> {tenant, id, …})}, {@code (parent)-[:CONTAINS]->(child)},
 * {@code (a)-[:DEPENDS_ON]->(b)}, and the event outbox {@code (:RoadmapOutbox {id, tenant, seq, createdAt,
 * payload})}. Every write transaction first locks the tenant's {@code (:RoadmapLock {tenant})}, so one tenant's
 * roadmap writes are serialised (the use case's checks hold when it writes) and its outbox sequence is gap-free.
 */
@ApplicationScoped
public class Neo4jRoadmapStore implements RoadmapStorePort {
    private final Neo4jGraph graph;
    private final ObjectMapper json;
    private final CloudEventCodec codec;

    public Neo4jRoadmapStore(Neo4jGraph graph, ObjectMapper json, CloudEventCodec codec) {
        this.graph = graph;
        this.json = json;
        this.codec = codec;
    }

    @Override
    public <T> T read(String tenant, Function<RoadmapTx, T> work) {
        return graph.read(tx -> work.apply(new Neo4jRoadmapTx(tx, tenant, json, codec)));
    }

    @Override
    public <T> T write(String tenant, boolean bulk, Function<RoadmapTx, T> work) {
        return bulk ? graph.writeBulk(tx -> locked(tx, tenant, work)) : graph.write(tx -> locked(tx, tenant, work));
    }

    private <T> T locked(org.neo4j.driver.TransactionContext tx, String tenant, Function<RoadmapTx, T> work) {
        tx.run(
                        "MERGE (l:RoadmapLock {tenant: $t}) ON CREATE SET l.seq = 0 SET l.lockedAt = timestamp()",
                        Map.of("t", tenant))
                .consume();
        return work.apply(new Neo4jRoadmapTx(tx, tenant, json, codec));
    }
}
