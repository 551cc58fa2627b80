package dev.devloop.gateway.adapters.out.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.Webhook;
import dev.devloop.gateway.ports.out.WebhookStorePort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/** Webhook subscriptions in MongoDB {@code devloop_gateway.webhooks}, every query filtered by tenant. */
@ApplicationScoped
public class MongoWebhookStore implements WebhookStorePort {
    static final String COLLECTION = "webhooks";
    private final MongoClient mongo;
    private final GatewayConfig config;

    public MongoWebhookStore(MongoClient mongo, GatewayConfig config) {
        this.mongo = mongo;
        this.config = config;
    }

    @Override
    public void save(Webhook webhook) {
        collection()
                .insertOne(new Document("_id", webhook.id())
                        .append("tenant", webhook.tenant())
                        .append("url", webhook.url())
                        .append("eventTypes", new ArrayList<>(webhook.eventTypes()))
                        .append("secret", webhook.secret())
                        .append("createdAt", Date.from(webhook.createdAt())));
    }

    @Override
    public List<Webhook> list(String tenant, int limit) {
        return find(Filters.eq("tenant", tenant), limit);
    }

    @Override
    public long count(String tenant) {
        return collection().countDocuments(Filters.eq("tenant", tenant));
    }

    @Override
    public Optional<Webhook> find(String tenant, String id) {
        return find(Filters.and(Filters.eq("tenant", tenant), Filters.eq("_id", id)), 1).stream()
                .findFirst();
    }

    @Override
    public boolean delete(String tenant, String id) {
        return collection()
                        .deleteOne(Filters.and(Filters.eq("tenant", tenant), Filters.eq("_id", id)))
                        .getDeletedCount()
                > 0;
    }

    @Override
    public List<Webhook> subscribedTo(String tenant, String eventType, int limit) {
        return find(Filters.and(Filters.eq("tenant", tenant), Filters.eq("eventTypes", eventType)), limit);
    }

    private List<Webhook> find(Bson filter, int limit) {
        List<Webhook> found = new ArrayList<>();
        for (Document doc :
                collection().find(filter).sort(Sorts.ascending("createdAt")).limit(limit)) {
            found.add(new Webhook(
                    doc.getString("_id"),
                    doc.getString("tenant"),
                    doc.getString("url"),
                    new LinkedHashSet<>(doc.getList("eventTypes", String.class)),
                    doc.getString("secret"),
                    doc.getDate("createdAt").toInstant()));
        }
        return found;
    }

    /** Its indexes are {@link MongoMigrator}'s V001. */
    private MongoCollection<Document> collection() {
        return mongo.getDatabase(config.webhooks().database()).getCollection(COLLECTION);
    }
}
