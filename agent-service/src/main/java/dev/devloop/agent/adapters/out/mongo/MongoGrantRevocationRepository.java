package dev.devloop.agent.adapters.out.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.devloop.agent.config.AgentServiceConfig;
import dev.devloop.agent.ports.out.GrantRevocationRepositoryPort;
import dev.devloop.contracts.events.GrantRevoked;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Date;
import org.bson.Document;

/**
 * Revocations in MongoDB collection {@code grant_revocations}, {@code _id} = grant id. The TTL index on
 * {@code expiresAt} (migration V002) removes each once its grant has expired: an expired grant is refused anyway.
 */
@ApplicationScoped
class MongoGrantRevocationRepository implements GrantRevocationRepositoryPort {
    static final String COLLECTION = "grant_revocations";

    private final MongoCollection<Document> revocations;

    MongoGrantRevocationRepository(MongoClient client, AgentServiceConfig config) {
        this.revocations = client.getDatabase(config.database()).getCollection(COLLECTION);
    }

    @Override
    public boolean saveIfAbsent(GrantRevoked r) {
        // $setOnInsert only: a replayed (or re-sent) revocation of the same grant leaves the first one as it was
        return revocations
                        .updateOne(
                                Filters.eq("_id", r.grantId()),
                                Updates.combine(
                                        Updates.setOnInsert("tenant", r.tenant()),
                                        Updates.setOnInsert("subject", r.subject()),
                                        Updates.setOnInsert("expiresAt", Date.from(r.expiresAt())),
                                        Updates.setOnInsert("revokedBy", r.revokedBy()),
                                        Updates.setOnInsert("recordedAt", new Date())),
                                new UpdateOptions().upsert(true))
                        .getUpsertedId()
                != null;
    }

    @Override
    public boolean exists(String grantId) {
        return revocations.find(Filters.eq("_id", grantId)).limit(1).first() != null;
    }
}
