package dev.devloop.tools.adapters.out.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import dev.devloop.tools.config.ToolServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;

/**
 * The collections of {@code devloop_tools}; documents never leave this package. Their indexes (the unique one on
 * invocations makes idempotency race-free) are migration V001 ({@link MongoMigrator}).
 */
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
}
