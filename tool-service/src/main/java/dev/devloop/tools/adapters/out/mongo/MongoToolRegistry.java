package dev.devloop.tools.adapters.out.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import dev.devloop.migrations.MongoOutages;
import dev.devloop.tools.domain.ParameterSchema;
import dev.devloop.tools.domain.ToolDefinition;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.domain.ToolLimits;
import dev.devloop.tools.ports.out.DependencyUnavailableException;
import dev.devloop.tools.ports.out.ToolRegistryPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/** Tool registrations in MongoDB {@code tools}, keyed by scope (tenant or {@code *}) and id. */
@ApplicationScoped
class MongoToolRegistry implements ToolRegistryPort {
    private final ToolStore store;

    MongoToolRegistry(ToolStore store) {
        this.store = store;
    }

    @Override
    public Optional<ToolDefinition> find(String tenant, String id) {
        List<ToolDefinition> found = new ArrayList<>();
        store.collection(ToolStore.TOOLS)
                .find(Filters.and(Filters.in("tenant", tenant, ToolDefinition.SHIPPED), Filters.eq("id", id)))
                .forEach(d -> found.add(toTool(d)));
        return found.stream().filter(ToolDefinition::shipped).findFirst().or(() -> found.stream()
                .findFirst());
    }

    @Override
    public List<ToolDefinition> listEnabled(String tenant) {
        List<ToolDefinition> tools = new ArrayList<>();
        store.collection(ToolStore.TOOLS)
                .find(Filters.and(Filters.in("tenant", tenant, ToolDefinition.SHIPPED), Filters.eq("enabled", true)))
                .forEach(d -> tools.add(toTool(d)));
        return tools;
    }

    @Override
    public void save(ToolDefinition tool) {
        store.collection(ToolStore.TOOLS)
                .replaceOne(
                        Filters.eq("_id", key(tool.scope(), tool.id())),
                        toDocument(tool),
                        new ReplaceOptions().upsert(true));
    }

    /** One ordered bulk write (one round trip instead of one per tool: the 45 shipped tools at start, issue 16). */
    @Override
    public void saveAll(List<ToolDefinition> tools) {
        if (tools.isEmpty()) {
            return;
        }
        List<ReplaceOneModel<Document>> writes = new ArrayList<>(tools.size());
        for (ToolDefinition tool : tools) {
            writes.add(new ReplaceOneModel<>(
                    Filters.eq("_id", key(tool.scope(), tool.id())),
                    toDocument(tool),
                    new ReplaceOptions().upsert(true)));
        }
        try {
            store.collection(ToolStore.TOOLS).bulkWrite(writes);
        } catch (MongoException e) {
            if (!MongoOutages.isTransient(e)) {
                throw e;
            }
            // replacements by _id, so repeating the whole upsert is harmless: the start retries it, not ready meanwhile
            throw new DependencyUnavailableException(MongoStoreOutages.MONGODB, e.getMessage(), e);
        }
    }

    @Override
    public long countOwned(String tenant) {
        return store.collection(ToolStore.TOOLS).countDocuments(Filters.eq("tenant", tenant));
    }

    private static String key(String scope, String id) {
        return scope + "/" + id;
    }

    private static Document toDocument(ToolDefinition tool) {
        return new Document("_id", key(tool.scope(), tool.id()))
                .append("id", tool.id())
                .append("tenant", tool.scope())
                .append("description", tool.description())
                .append("parameters", tool.parameters().json())
                .append("kind", tool.kind().wire())
                .append("implementation", tool.implementation())
                .append("allowedAgentTypes", tool.allowedAgentTypes())
                .append(
                        "limits",
                        new Document("timeoutMs", tool.limits().timeoutMs())
                                .append("maxOutputBytes", tool.limits().maxOutputBytes())
                                .append("maxCallsPerRun", tool.limits().maxCallsPerRun()))
                .append("enabled", tool.enabled())
                .append("updatedAt", Date.from(tool.updatedAt()))
                .append("writesGraph", tool.writesGraph());
    }

    private static ToolDefinition toTool(Document d) {
        Document limits = d.get("limits", Document.class);
        return new ToolDefinition(
                d.getString("id"),
                d.getString("tenant"),
                d.getString("description"),
                new ParameterSchema(d.getString("parameters")),
                ToolKind.fromWire(d.getString("kind")),
                d.getString("implementation"),
                d.getList("allowedAgentTypes", String.class, List.of()),
                new ToolLimits(
                        limits.get("timeoutMs", Number.class).longValue(),
                        limits.get("maxOutputBytes", Number.class).intValue(),
                        limits.get("maxCallsPerRun", Number.class).intValue()),
                d.getBoolean("enabled", false),
                d.getDate("updatedAt").toInstant(),
                d.getBoolean("writesGraph", false)); // documents stored before the field existed: false
    }
}
