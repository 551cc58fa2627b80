package dev.devloop.gateway.adapters.out.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.DeliveryAttempt;
import dev.devloop.gateway.domain.DeliveryOutcome;
import dev.devloop.gateway.domain.WebhookDelivery;
import dev.devloop.gateway.ports.out.DeliveryLogPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * The delivery log in MongoDB {@code devloop_gateway.deliveries}: one document per delivery id and
 * attempt ({@code _id = <deliveryId>#<attempt>}); inserting it is the claim that makes an attempt
 * happen once, its outcome replaces it. Every query is filtered by tenant.
 */
@ApplicationScoped
public class MongoDeliveryLog implements DeliveryLogPort {
    static final String COLLECTION = "deliveries";
    static final String IN_FLIGHT = "IN_FLIGHT";
    private final MongoClient mongo;
    private final GatewayConfig config;

    public MongoDeliveryLog(MongoClient mongo, GatewayConfig config) {
        this.mongo = mongo;
        this.config = config;
    }

    @Override
    public boolean claim(WebhookDelivery delivery) {
        try {
            collection()
                    .insertOne(document(
                            delivery.deliveryId(),
                            delivery.webhookId(),
                            delivery.tenant(),
                            delivery.eventId(),
                            delivery.eventType(),
                            delivery.attempt(),
                            IN_FLIGHT,
                            0,
                            null,
                            Instant.now()));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void release(WebhookDelivery delivery) {
        collection()
                .deleteOne(Filters.and(
                        Filters.eq("_id", id(delivery.deliveryId(), delivery.attempt())),
                        Filters.eq("tenant", delivery.tenant()),
                        Filters.eq("outcome", IN_FLIGHT)));
    }

    @Override
    public boolean delivered(String tenant, String deliveryId) {
        return collection()
                        .find(Filters.and(
                                Filters.eq("tenant", tenant),
                                Filters.eq("deliveryId", deliveryId),
                                Filters.eq("outcome", DeliveryOutcome.DELIVERED.name())))
                        .limit(1)
                        .first()
                != null;
    }

    @Override
    public void record(DeliveryAttempt a) {
        collection()
                .replaceOne(
                        Filters.and(
                                Filters.eq("_id", id(a.deliveryId(), a.attempt())), Filters.eq("tenant", a.tenant())),
                        document(
                                a.deliveryId(),
                                a.webhookId(),
                                a.tenant(),
                                a.eventId(),
                                a.eventType(),
                                a.attempt(),
                                a.outcome().name(),
                                a.httpStatus(),
                                a.error(),
                                a.at()),
                        new ReplaceOptions().upsert(true));
    }

    @Override
    public List<DeliveryAttempt> latest(String tenant, String webhookId, int limit) {
        List<DeliveryAttempt> attempts = new ArrayList<>();
        for (Document doc : collection()
                .find(Filters.and(
                        Filters.eq("tenant", tenant),
                        Filters.eq("webhookId", webhookId),
                        Filters.ne("outcome", IN_FLIGHT)))
                .sort(Sorts.orderBy(Sorts.descending("at"), Sorts.descending("attempt")))
                .limit(limit)) {
            attempts.add(new DeliveryAttempt(
                    doc.getString("deliveryId"),
                    doc.getString("webhookId"),
                    doc.getString("tenant"),
                    doc.getString("eventId"),
                    doc.getString("eventType"),
                    doc.getInteger("attempt"),
                    DeliveryOutcome.valueOf(doc.getString("outcome")),
                    doc.getInteger("httpStatus", 0),
                    doc.getString("error"),
                    doc.getDate("at").toInstant()));
        }
        return attempts;
    }

    private static String id(String deliveryId, int attempt) {
        return deliveryId + "#" + attempt;
    }

    private static Document document(
            String deliveryId,
            String webhookId,
            String tenant,
            String eventId,
            String eventType,
            int attempt,
            String outcome,
            int httpStatus,
            String error,
            Instant at) {
        return new Document("_id", id(deliveryId, attempt))
                .append("tenant", tenant)
                .append("webhookId", webhookId)
                .append("deliveryId", deliveryId)
                .append("eventId", eventId)
                .append("eventType", eventType)
                .append("attempt", attempt)
                .append("outcome", outcome)
                .append("httpStatus", httpStatus)
                .append("error", error)
                .append("at", Date.from(at));
    }

    /** Its indexes are {@link MongoMigrator}'s V001. */
    private MongoCollection<Document> collection() {
        return mongo.getDatabase(config.webhooks().database()).getCollection(COLLECTION);
    }
}
