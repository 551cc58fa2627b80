package dev.devloop.tools.adapters.out.mongo;

import dev.devloop.tools.domain.ActivityRecord;
import dev.devloop.tools.ports.out.ActivityPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Date;
import java.util.UUID;
import org.bson.Document;

/** Agent activity lines in MongoDB {@code activity}. */
@ApplicationScoped
class MongoActivity implements ActivityPort {
    private final ToolStore store;

    MongoActivity(ToolStore store) {
        this.store = store;
    }

    @Override
    public String save(ActivityRecord r) {
        String id = UUID.randomUUID().toString();
        store.collection(ToolStore.ACTIVITY)
                .insertOne(new Document("_id", id)
                        .append("tenant", r.tenant())
                        .append("agentId", r.agentId())
                        .append("agentType", r.agentType())
                        .append("runId", r.runId())
                        .append("level", r.level())
                        .append("message", r.message())
                        .append("at", Date.from(r.at())));
        return id;
    }
}
