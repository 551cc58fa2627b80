package dev.devloop.tools.adapters.out.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.devloop.tools.ports.out.RestartLedgerPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;

/**
 * The last restart of each service in MongoDB {@code restarts} ({@code _id} = service; the requesting
 * tenant, agent reason and time). Acquiring is a conditional update of an older record, or the insert
 * of the first one: two replicas racing for the same service cannot both win.
 */
@ApplicationScoped
class MongoRestartLedger implements RestartLedgerPort {
    private final ToolStore store;

    MongoRestartLedger(ToolStore store) {
        this.store = store;
    }

    @Override
    public Optional<Instant> acquire(String service, String tenant, String reason, Instant now, Duration cooldown) {
        var restarts = store.collection(ToolStore.RESTARTS);
        Date cutoff = Date.from(now.minus(cooldown));
        long updated = restarts.updateOne(
                        Filters.and(Filters.eq("_id", service), Filters.lt("at", cutoff)),
                        Updates.combine(
                                Updates.set("at", Date.from(now)),
                                Updates.set("tenant", tenant),
                                Updates.set("reason", reason)))
                .getModifiedCount();
        if (updated == 1) {
            return Optional.empty();
        }
        try {
            restarts.insertOne(new Document("_id", service)
                    .append("at", Date.from(now))
                    .append("tenant", tenant)
                    .append("reason", reason));
            return Optional.empty();
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            Document last = restarts.find(Filters.eq("_id", service)).first();
            return Optional.of(last == null ? now : last.getDate("at").toInstant());
        }
    }
}
