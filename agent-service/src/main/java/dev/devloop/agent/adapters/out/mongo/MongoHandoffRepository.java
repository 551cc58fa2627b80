package dev.devloop.agent.adapters.out.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import dev.devloop.agent.config.AgentServiceConfig;
import dev.devloop.agent.domain.Handoff;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.ports.out.HandoffRepositoryPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/** Handoffs in MongoDB collection {@code handoffs}; every filter includes the tenant. */
@ApplicationScoped
class MongoHandoffRepository implements HandoffRepositoryPort {
    private final MongoCollection<Document> handoffs;

    MongoHandoffRepository(MongoClient client, AgentServiceConfig config) {
        this.handoffs = client.getDatabase(config.database()).getCollection("handoffs");
        // indexes: migration V001 (MongoMigrator)
    }

    @Override
    public void save(Handoff h) {
        Document doc = new Document("_id", h.id())
                .append("tenant", h.tenant())
                .append("fromAgentId", h.fromAgentId())
                .append("toAgentId", h.toAgentId())
                .append("toAgentType", h.toAgentType())
                .append("task", h.task())
                .append("context", h.context())
                .append("runId", h.runId())
                .append("status", h.status() == null ? null : h.status().name())
                .append("result", h.result())
                .append("error", h.error())
                .append("createdAt", Date.from(h.createdAt()))
                .append("completedAt", h.completedAt() == null ? null : Date.from(h.completedAt()));
        handoffs.replaceOne(byId(h.tenant(), h.id()), doc, new ReplaceOptions().upsert(true));
    }

    @Override
    public Optional<Handoff> find(String tenant, String handoffId) {
        return Optional.ofNullable(handoffs.find(byId(tenant, handoffId)).first())
                .map(d -> {
                    Date completed = d.getDate("completedAt");
                    String status = d.getString("status");
                    return new Handoff(
                            d.getString("_id"),
                            d.getString("tenant"),
                            d.getString("fromAgentId"),
                            d.getString("toAgentId"),
                            d.getString("toAgentType"),
                            d.getString("task"),
                            d.getString("context"),
                            d.getString("runId"),
                            status == null ? null : RunStatus.valueOf(status),
                            d.getString("result"),
                            d.getString("error"),
                            d.getDate("createdAt").toInstant(),
                            completed == null ? null : completed.toInstant());
                });
    }

    private static Bson byId(String tenant, String id) {
        return Filters.and(Filters.eq("_id", id), Filters.eq("tenant", tenant));
    }
}
