package dev.devloop.tools.adapters.out.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.devloop.tools.config.ToolServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;

/** The collections of {@code devloop_tools} and their indexes; documents never leave this package. */
@ApplicationScoped
public class ToolStore {
    static final String TOOLS = "tools";
    static final String INVOCATIONS = "invocations";
    static final String RUN_CALLS = "run_calls";
    static final String AUDIT = "audit";
    static final String ACTIVITY = "activity";
    static final String MCP_SERVERS = "mcp_servers";
    static final String RESTARTS = "restarts";

    private final MongoClient mongo;
    private final ToolServiceConfig config;

    ToolStore(MongoClient mongo, ToolServiceConfig config) {
        this.mongo = mongo;
        this.config = config;
    }

    MongoCollection<Document> collection(String name) {
        return mongo.getDatabase(config.database()).getCollection(name);
    }

    /** Creates the indexes every query relies on; the unique one on invocations makes idempotency race-free. */
    public void ensureIndexes() {
        collection(TOOLS).createIndex(Indexes.ascending("tenant", "enabled"), new IndexOptions().name("tools_tenant"));
        collection(INVOCATIONS)
                .createIndex(
                        Indexes.ascending("tenant", "runId", "idempotencyKey"),
                        new IndexOptions().unique(true).name("invocations_idempotency"));
        collection(AUDIT).createIndex(Indexes.ascending("tenant", "at"), new IndexOptions().name("audit_tenant_at"));
        collection(AUDIT)
                .createIndex(Indexes.ascending("tenant", "runId"), new IndexOptions().name("audit_tenant_run"));
        collection(ACTIVITY)
                .createIndex(
                        Indexes.ascending("tenant", "agentId", "at"), new IndexOptions().name("activity_tenant_agent"));
        collection(MCP_SERVERS)
                .createIndex(Indexes.ascending("tenant", "name"), new IndexOptions().name("mcp_servers_tenant"));
    }
}
