package dev.devloop.agent.adapters.out.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.devloop.agent.config.AgentServiceConfig;
import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentLevel;
import dev.devloop.agent.domain.AgentListKey;
import dev.devloop.agent.domain.AgentStatus;
import dev.devloop.agent.ports.out.AgentRepositoryPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/** Agents in MongoDB collection {@code agents}; every filter includes the tenant. */
@ApplicationScoped
class MongoAgentRepository implements AgentRepositoryPort {
    /** No parent legitimately has more; the bound keeps a corrupt tree from exhausting memory. */
    private static final int MAX_CHILDREN_READ = 500;
    /** Run ids holding the agent's concurrent-run slots (limits.maxConcurrentRuns). */
    private static final String RUN_SLOTS = "runSlots";

    private final MongoCollection<Document> agents;

    MongoAgentRepository(MongoClient client, AgentServiceConfig config) {
        this.agents = client.getDatabase(config.database()).getCollection("agents");
        // indexes: migration V001 (MongoMigrator)
    }

    @Override
    public void save(Agent agent) {
        Document doc = new Document("_id", agent.id())
                .append("tenant", agent.tenant())
                .append("type", agent.type())
                .append("level", agent.level().name())
                .append("parentId", agent.parentId())
                .append("status", agent.status().name())
                .append("createdAt", Date.from(agent.createdAt()))
                .append("retiredAt", agent.retiredAt() == null ? null : Date.from(agent.retiredAt()))
                .append("toolScope", agent.toolScope());
        // $set, not a replace: the agent's run slots are not part of the domain record and must survive
        doc.remove("_id");
        agents.updateOne(
                byId(agent.tenant(), agent.id()),
                new Document("$set", doc),
                new com.mongodb.client.model.UpdateOptions().upsert(true));
    }

    @Override
    public boolean acquireRunSlot(String tenant, String agentId, String runId, int max) {
        // "fewer than max slots taken" is "no element at index max-1": one conditional update, so racing starts
        // serialize
        Bson free = max <= 0
                ? byId(tenant, agentId)
                : Filters.and(byId(tenant, agentId), Filters.exists(RUN_SLOTS + "." + (max - 1), false));
        return agents.updateOne(free, Updates.addToSet(RUN_SLOTS, runId)).getMatchedCount() == 1;
    }

    @Override
    public void releaseRunSlot(String tenant, String agentId, String runId) {
        agents.updateOne(byId(tenant, agentId), Updates.pull(RUN_SLOTS, runId));
    }

    @Override
    public List<String> runSlots(String tenant, String agentId) {
        Document d = agents.find(byId(tenant, agentId))
                .projection(new Document(RUN_SLOTS, 1))
                .first();
        return d == null ? List.of() : d.getList(RUN_SLOTS, String.class, List.of());
    }

    @Override
    public Optional<Agent> find(String tenant, String agentId) {
        return Optional.ofNullable(agents.find(byId(tenant, agentId)).first()).map(MongoAgentRepository::toAgent);
    }

    @Override
    public void updateStatus(String tenant, String agentId, AgentStatus status) {
        agents.updateOne(byId(tenant, agentId), Updates.set("status", status.name()));
    }

    /** One {@code findAndModify} (stop 31: a read and an update before), matching only a live agent. */
    @Override
    public Optional<Agent> updateStatusIfLive(String tenant, String agentId, AgentStatus status) {
        Document updated = agents.findOneAndUpdate(
                Filters.and(
                        byId(tenant, agentId),
                        Filters.in("status", AgentStatus.ACTIVE.name(), AgentStatus.BUSY.name())),
                Updates.set("status", status.name()),
                new com.mongodb.client.model.FindOneAndUpdateOptions()
                        .projection(com.mongodb.client.model.Projections.exclude(RUN_SLOTS))
                        .returnDocument(com.mongodb.client.model.ReturnDocument.AFTER));
        return Optional.ofNullable(updated).map(MongoAgentRepository::toAgent);
    }

    @Override
    public List<Agent> list(
            String tenant, String parentId, String type, AgentStatus status, int limit, AgentListKey after) {
        List<Bson> filters = new ArrayList<>(List.of(Filters.eq("tenant", tenant)));
        if (parentId != null) {
            filters.add(Filters.eq("parentId", parentId));
        }
        if (type != null) {
            filters.add(Filters.eq("type", type));
        }
        if (status != null) {
            filters.add(Filters.eq("status", status.name()));
        }
        if (after != null) {
            Date at = Date.from(after.createdAt());
            filters.add(Filters.or(
                    Filters.lt("createdAt", at),
                    Filters.and(Filters.eq("createdAt", at), Filters.lt("_id", after.id()))));
        }
        return agents.find(Filters.and(filters))
                .sort(Sorts.descending("createdAt", "_id"))
                .limit(limit)
                .map(MongoAgentRepository::toAgent)
                .into(new ArrayList<>());
    }

    @Override
    public List<Agent> children(String tenant, String parentId) {
        return agents.find(Filters.and(Filters.eq("tenant", tenant), Filters.eq("parentId", parentId)))
                .sort(Sorts.ascending("createdAt"))
                .limit(MAX_CHILDREN_READ)
                .map(MongoAgentRepository::toAgent)
                .into(new ArrayList<>());
    }

    private static Bson byId(String tenant, String id) {
        return Filters.and(Filters.eq("_id", id), Filters.eq("tenant", tenant));
    }

    private static Agent toAgent(Document d) {
        Date retired = d.getDate("retiredAt");
        return new Agent(
                d.getString("_id"),
                d.getString("tenant"),
                d.getString("type"),
                AgentLevel.valueOf(d.getString("level")),
                d.getString("parentId"),
                AgentStatus.valueOf(d.getString("status")),
                d.getDate("createdAt").toInstant(),
                retired == null ? null : retired.toInstant(),
                d.getList("toolScope", String.class, List.of()));
    }
}
