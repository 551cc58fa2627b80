package dev.devloop.agent.adapters.out.mongo;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
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

  MongoAgentTypeRepository(MongoClient client, AgentServiceConfig config) {
    this.types = client.getDatabase(config.database()).getCollection("agent_types");
    types.createIndex(Indexes.ascending("tenant", "type"));
  }

  @Override
  public boolean insert(String tenant, AgentDefinition definition) {
    try {
      Date now = new Date();
      types.insertOne(toDocument(tenant, definition).append("createdAt", now).append("updatedAt", now));
      return true;
    } catch (MongoWriteException e) {
      if (e.getError().getCode() == DUPLICATE_KEY) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public boolean replace(String tenant, AgentDefinition definition) {
    Document current = types.find(byId(tenant, definition.type())).first();
    if (current == null) {
      return false;
    }
    Document next = toDocument(tenant, definition).append("createdAt", current.getDate("createdAt"))
        .append("updatedAt", new Date());
    return types.replaceOne(byId(tenant, definition.type()), next).getMatchedCount() == 1;
  }

  @Override
  public boolean delete(String tenant, String type) {
    return types.deleteOne(byId(tenant, type)).getDeletedCount() == 1;
  }

  @Override
  public Optional<AgentDefinition> find(String tenant, String type) {
    return Optional.ofNullable(types.find(byId(tenant, type)).first()).map(MongoAgentTypeRepository::toDefinition);
  }

  @Override
  public List<AgentDefinition> list(String tenant, int limit) {
    return types.find(Filters.eq("tenant", tenant)).sort(Sorts.ascending("type")).limit(limit)
        .map(MongoAgentTypeRepository::toDefinition).into(new ArrayList<>());
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
        .append("limits", new Document("maxTurns", l.maxTurns()).append("maxTokens", l.maxTokens())
            .append("maxSeconds", l.maxSeconds()).append("maxChildren", l.maxChildren())
            .append("maxCostUsd", l.maxCostUsd()));
  }

  private static AgentDefinition toDefinition(Document d) {
    Document l = d.get("limits", Document.class);
    return new AgentDefinition(d.getString("type"), AgentLevel.valueOf(d.getString("level")),
        d.getString("description"), d.getString("instructions"), d.getList("allowedChildTypes", String.class, List.of()),
        d.getString("provider"), d.getString("model"),
        new AgentLimits(l.get("maxTurns", Number.class).intValue(), l.get("maxTokens", Number.class).longValue(),
            l.get("maxSeconds", Number.class).longValue(), l.get("maxChildren", Number.class).intValue(),
            l.get("maxCostUsd", Number.class).doubleValue()),
        d.getString("promptTemplate"), d.getList("handoffTargets", String.class, List.of()));
  }
}
