package dev.devloop.tools.adapters.out.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import dev.devloop.tools.ports.out.RunBudgetPort;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;

/** Per-run call counters in MongoDB {@code run_calls}, incremented with one atomic upsert. */
@ApplicationScoped
class MongoRunBudget implements RunBudgetPort {
    private static final int DUPLICATE_KEY = 11000;
    private final ToolStore store;

    MongoRunBudget(ToolStore store) {
        this.store = store;
    }

    @Override
    public long increment(String tenant, String runId, String toolId) {
        String id = tenant + "/" + runId + "/" + toolId;
        try {
            return inc(id, tenant, runId, toolId);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return inc(id, tenant, runId, toolId);
        } catch (MongoCommandException e) {
            if (e.getErrorCode() != DUPLICATE_KEY) {
                throw e;
            }
            // two first calls raced on the upsert: the counter exists now, so this increment updates it
            return inc(id, tenant, runId, toolId);
        }
    }

    @Override
    public void refund(String tenant, String runId, String toolId) {
        store.collection(ToolStore.RUN_CALLS)
                .updateOne(
                        new Document("_id", tenant + "/" + runId + "/" + toolId)
                                .append("calls", new Document("$gt", 0)),
                        Updates.inc("calls", -1));
    }

    private long inc(String id, String tenant, String runId, String toolId) {
        Document after = store.collection(ToolStore.RUN_CALLS)
                .findOneAndUpdate(
                        new Document("_id", id),
                        Updates.combine(
                                Updates.inc("calls", 1),
                                Updates.setOnInsert("tenant", tenant),
                                Updates.setOnInsert("runId", runId),
                                Updates.setOnInsert("toolId", toolId)),
                        new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return after.get("calls", Number.class).longValue();
    }
}
