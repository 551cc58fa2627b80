package dev.devloop.tools.adapters.out.mongo;

import dev.devloop.tools.domain.AuditEntry;
import dev.devloop.tools.ports.out.AuditPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Date;
import org.bson.Document;

/** The audit log in MongoDB {@code audit}: one document per invocation attempt. */
@ApplicationScoped
class MongoAudit implements AuditPort {
    private final ToolStore store;

    MongoAudit(ToolStore store) {
        this.store = store;
    }

    @Override
    public void record(AuditEntry e) {
        store.collection(ToolStore.AUDIT)
                .insertOne(new Document("_id", e.id())
                        .append("tenant", e.tenant())
                        .append("toolId", e.toolId())
                        .append("agentType", e.agentType())
                        .append("agentId", e.agentId())
                        .append("runId", e.runId())
                        .append("idempotencyKey", e.idempotencyKey())
                        .append("outcome", e.outcome().name())
                        .append("rule", e.rule())
                        .append("detail", e.detail())
                        .append("invocationId", e.invocationId())
                        .append("durationMs", e.durationMs())
                        .append("replayed", e.replayed())
                        .append("at", Date.from(e.at())));
    }
}
