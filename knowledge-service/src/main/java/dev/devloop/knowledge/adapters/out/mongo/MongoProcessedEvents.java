package dev.devloop.knowledge.adapters.out.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.ports.out.ProcessedEventsPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/** Processed event ids in MongoDB {@code devloop_knowledge.processed_events}, one document per consumer, tenant and id. */
@ApplicationScoped
public class MongoProcessedEvents implements ProcessedEventsPort {
    static final String COLLECTION = "processed_events";

    private final MongoCollection<Document> events;
    private final MongoMigrator migrator;

    public MongoProcessedEvents(MongoClient mongo, KnowledgeConfig config, MongoMigrator migrator) {
        this.events = mongo.getDatabase(config.database()).getCollection(COLLECTION);
        this.migrator = migrator;
    }

    /** Its index is the versioned migrations' ({@link MongoMigrator}); 503 until they are applied. */
    private void ensureIndexes() {
        migrator.ensureMigrated();
    }

    @Override
    public boolean isProcessed(String consumer, String tenant, String eventId) {
        ensureIndexes();
        return MongoCalls.call(() -> events.find(Filters.eq("_id", id(consumer, tenant, eventId)))
                        .first())
                != null;
    }

    @Override
    public void markProcessed(String consumer, String tenant, String eventId, Instant at) {
        ensureIndexes();
        Document doc = new Document("_id", id(consumer, tenant, eventId))
                .append("consumer", consumer)
                .append("tenant", tenant)
                .append("eventId", eventId)
                .append("processedAt", Date.from(at));
        try {
            MongoCalls.call(() -> events.insertOne(doc));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    @Override
    public int forgetBefore(Instant before, int limit) {
        ensureIndexes();
        return MongoCalls.call(() -> {
            List<Object> ids = new ArrayList<>();
            for (Document doc : events.find(Filters.lt("processedAt", Date.from(before)))
                    .projection(Projections.include("_id"))
                    .limit(limit)) {
                ids.add(doc.get("_id"));
            }
            return ids.isEmpty()
                    ? 0
                    : (int) events.deleteMany(Filters.in("_id", ids)).getDeletedCount();
        });
    }

    private static String id(String consumer, String tenant, String eventId) {
        return consumer + "|" + tenant + "|" + eventId;
    }
}
