package dev.devloop.tools.adapters.out.mongo;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import dev.devloop.tools.domain.McpServer;
import dev.devloop.tools.domain.McpTransport;
import dev.devloop.tools.ports.out.McpServerStorePort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/** Imported MCP servers in MongoDB {@code mcp_servers}, keyed by tenant and name. */
@ApplicationScoped
class MongoMcpServers implements McpServerStorePort {
    private final ToolStore store;

    MongoMcpServers(ToolStore store) {
        this.store = store;
    }

    @Override
    public Optional<McpServer> find(String tenant, String name) {
        Document d = store.collection(ToolStore.MCP_SERVERS)
                .find(Filters.and(Filters.eq("tenant", tenant), Filters.eq("_id", key(tenant, name))))
                .first();
        return Optional.ofNullable(d).map(MongoMcpServers::toServer);
    }

    @Override
    public List<McpServer> list(String tenant) {
        List<McpServer> found = new ArrayList<>();
        store.collection(ToolStore.MCP_SERVERS)
                .find(Filters.eq("tenant", tenant))
                .sort(Sorts.ascending("name"))
                .forEach(d -> found.add(toServer(d)));
        return found;
    }

    @Override
    public void save(McpServer server) {
        store.collection(ToolStore.MCP_SERVERS)
                .replaceOne(
                        Filters.and(
                                Filters.eq("tenant", server.tenant()),
                                Filters.eq("_id", key(server.tenant(), server.name()))),
                        toDocument(server),
                        new ReplaceOptions().upsert(true));
    }

    @Override
    public void delete(String tenant, String name) {
        store.collection(ToolStore.MCP_SERVERS)
                .deleteOne(Filters.and(Filters.eq("tenant", tenant), Filters.eq("_id", key(tenant, name))));
    }

    @Override
    public long count(String tenant) {
        return store.collection(ToolStore.MCP_SERVERS).countDocuments(Filters.eq("tenant", tenant));
    }

    private static String key(String tenant, String name) {
        return tenant + "/" + name;
    }

    private static Document toDocument(McpServer server) {
        List<Document> tools = server.tools().stream()
                .map(t -> new Document("toolId", t.toolId()).append("remoteName", t.remoteName()))
                .toList();
        return new Document("_id", key(server.tenant(), server.name()))
                .append("tenant", server.tenant())
                .append("name", server.name())
                .append("url", server.url())
                .append("transport", server.transport().wire())
                .append("allowedAgentTypes", server.allowedAgentTypes())
                .append("tools", tools)
                .append("createdAt", Date.from(server.createdAt()));
    }

    private static McpServer toServer(Document d) {
        List<McpServer.ImportedTool> tools = d.getList("tools", Document.class, List.of()).stream()
                .map(t -> new McpServer.ImportedTool(t.getString("toolId"), t.getString("remoteName")))
                .toList();
        return new McpServer(
                d.getString("tenant"),
                d.getString("name"),
                d.getString("url"),
                McpTransport.fromWire(d.getString("transport")),
                d.getList("allowedAgentTypes", String.class, List.of()),
                tools,
                d.getDate("createdAt").toInstant());
    }
}
