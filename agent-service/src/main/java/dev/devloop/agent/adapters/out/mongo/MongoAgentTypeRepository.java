package dev.devloop.agent.adapters.out.mongo;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.devloop.agent.config.AgentServiceConfig;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentLevel;
import dev.devloop.agent.domain.AgentLimits;
import dev.devloop.agent.ports.out.AgentTypeRepositoryPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The agent types tenants registered, in MongoDB collection {@code agent_types}: one document per
 * (tenant, type), {@code _id} = {@code tenant/type}, so a concurrent duplicate registration loses the
 * insert; every filter includes the tenant.
 */
@ApplicationScoped
class MongoAgentTypeRepository implements AgentTypeRepositoryPort {
    private static final int DUPLICATE_KEY = 11000;
    private final MongoCollection<Document> types;
    /** Every version ever written, {@code _id} = {@code tenant/type/version}. */
    private final MongoCollection<Document> versions;

    MongoAgentTypeRepository(MongoClient client, AgentServiceConfig config) {
        this.types = client.getDatabase(config.database()).getCollection("agent_types");
        this.versions = client.getDatabase(config.database()).getCollection("agent_type_versions");
        // indexes: migration V001 (MongoMigrator)
    }

    @Override
    public boolean insert(String tenant, AgentDefinition definition) {
        try {
            Date now = new Date();
            types.insertOne(
                    toDocument(tenant, definition).append("createdAt", now).append("updatedAt", now));
        } catch (MongoWriteException e) {
            if (e.getError().getCode() == DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
        keepVersion(tenant, definition);
        return true;
    }

    @Override
    public boolean replace(String tenant, AgentDefinition definition, int expectedVersion) {
        Document current = types.find(byId(tenant, definition.type())).first();
        if (current == null) {
            return false;
        }
        Document next = toDocument(tenant, definition)
                .append("createdAt", current.getDate("createdAt"))
                .append("updatedAt", new Date());
        // documents from before versioning have no version: they are version 0
        Bson atVersion = expectedVersion == 0
                ? Filters.or(Filters.eq("version", 0), Filters.exists("version", false))
                : Filters.eq("version", expectedVersion);
        if (types.replaceOne(Filters.and(byId(tenant, definition.type()), atVersion), next)
                        .getMatchedCount()
                != 1) {
            return false;
        }
        keepVersion(tenant, definition);
        return true;
    }

    /** The history entry of a version; written after the live document, so a repeat of it is harmless. */
    private void keepVersion(String tenant, AgentDefinition definition) {
        Document entry = toDocument(tenant, definition);
        entry.put("_id", tenant + "/" + definition.type() + "/" + definition.version());
        versions.replaceOne(
                Filters.eq("_id", entry.get("_id")), entry, new com.mongodb.client.model.ReplaceOptions().upsert(true));
    }

    @Override
    public Optional<AgentDefinition> findVersion(String tenant, String type, int version) {
        return Optional.ofNullable(versions.find(Filters.and(
                                Filters.eq("_id", tenant + "/" + type + "/" + version), Filters.eq("tenant", tenant)))
                        .first())
                .map(MongoAgentTypeRepository::toDefinition);
    }

    @Override
    public List<AgentDefinition> versions(String tenant, String type, int limit) {
        return versions.find(Filters.and(Filters.eq("tenant", tenant), Filters.eq("type", type)))
                .sort(Sorts.descending("version"))
                .limit(limit)
                .map(MongoAgentTypeRepository::toDefinition)
                .into(new ArrayList<>());
    }

    @Override
    public boolean delete(String tenant, String type) {
        boolean deleted = types.deleteOne(byId(tenant, type)).getDeletedCount() == 1;
        // a type registered again later starts a new history at version 1
        versions.deleteMany(Filters.and(Filters.eq("tenant", tenant), Filters.eq("type", type)));
        return deleted;
    }

    @Override
    public Optional<AgentDefinition> find(String tenant, String type) {
        return Optional.ofNullable(types.find(byId(tenant, type)).first()).map(MongoAgentTypeRepository::toDefinition);
    }

    @Override
    public List<AgentDefinition> list(String tenant, int limit) {
        return types.find(Filters.eq("tenant", tenant))
                .sort(Sorts.ascending("type"))
                .limit(limit)
                .map(MongoAgentTypeRepository::toDefinition)
                .into(new ArrayList<>());
    }

    @Override
    public long count(String tenant) {
        return types.countDocuments(Filters.eq("tenant", tenant));
    }

    private static Bson byId(String tenant, String type) {
        return Filters.and(Filters.eq("_id", tenant + "/" + type), Filters.eq("tenant", tenant));
    }

    private static Document toDocument(String tenant, AgentDefinition d) {
        AgentLimits l = d.limits();
        return new Document("_id", tenant + "/" + d.type())
                .append("tenant", tenant)
                .append("type", d.type())
                .append("level", d.level().name())
                .append("description", d.description())
                .append("instructions", d.instructions())
                .append("allowedChildTypes", d.allowedChildTypes())
                .append("provider", d.provider())
                .append("model", d.model())
                .append("promptTemplate", d.promptTemplate())
                .append("handoffTargets", d.handoffTargets())
                .append(
                        "limits",
                        new Document("maxTurns", l.maxTurns())
                                .append("maxTokens", l.maxTokens())
                                .append("maxSeconds", l.maxSeconds())
                                .append("maxChildren", l.maxChildren())
                                .append("maxCostUsd", l.maxCostUsd())
                                .append("maxConcurrentRuns", l.maxConcurrentRuns()))
                .append("approval", new Document("graphWrites", d.approveGraphWrites()))
                .append(
                        "guardrailMode",
                        d.guardrailMode() == null ? null : d.guardrailMode().name())
                .append("version", d.version())
                .append("changedBy", d.changedBy())
                .append("changedAt", d.changedAt() == null ? null : Date.from(d.changedAt()));
    }

    private static AgentDefinition toDefinition(Document d) {
        Document l = d.get("limits", Document.class);
        return new AgentDefinition(
                d.getString("type"),
                AgentLevel.valueOf(d.getString("level")),
                d.getString("description"),
                d.getString("instructions"),
                d.getList("allowedChildTypes", String.class, List.of()),
                d.getString("provider"),
                d.getString("model"),
                new AgentLimits(
                        l.get("maxTurns", Number.class).intValue(),
                        l.get("maxTokens", Number.class).longValue(),
                        l.get("maxSeconds", Number.class).longValue(),
                        l.get("maxChildren", Number.class).intValue(),
                        l.get("maxCostUsd", Number.class).doubleValue(),
                        l.get("maxConcurrentRuns") instanceof Number n ? n.intValue() : 0),
                d.getString("promptTemplate"),
                d.getList("handoffTargets", String.class, List.of()),
                d.get("approval") instanceof Document a && Boolean.TRUE.equals(a.getBoolean("graphWrites")),
                d.getString("guardrailMode") == null
                        ? null
                        : dev.devloop.agent.domain.safety.Enforcement.valueOf(d.getString("guardrailMode")),
                d.get("version") instanceof Number v ? v.intValue() : 0,
                d.getString("changedBy"),
                d.getDate("changedAt") == null ? null : d.getDate("changedAt").toInstant());
    }
}
