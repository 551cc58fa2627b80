package dev.devloop.knowledge.adapters.out.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.domain.FactKey;
import dev.devloop.knowledge.domain.StoredFact;
import dev.devloop.knowledge.domain.Tier;
import dev.devloop.knowledge.ports.out.ExpiredFactsPort;
import dev.devloop.knowledge.ports.out.FactTierPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Medium-term facts in MongoDB {@code devloop_knowledge.facts}: one document per (tenant, entity,
 * attribute) under a unique index, a TTL index on {@code expiresAt} for a real MongoDB (both from migration V001), and reads
 * that ignore expired documents because the local server never deletes them.
 */
@ApplicationScoped
public class MongoFactStore implements FactTierPort, ExpiredFactsPort {
    static final String COLLECTION = "facts";

    private final MongoCollection<Document> facts;
    private final MongoMigrator migrator;

    public MongoFactStore(MongoClient mongo, KnowledgeConfig config, MongoMigrator migrator) {
        this.facts = mongo.getDatabase(config.database()).getCollection(COLLECTION);
        this.migrator = migrator;
    }

    @Override
    public Tier tier() {
        return Tier.MEDIUM;
    }

    /** Its indexes are the versioned migrations' ({@link MongoMigrator}); 503 until they are applied. */
    void ensureIndexes() {
        migrator.ensureMigrated();
    }

    @Override
    public void save(StoredFact fact) {
        ensureIndexes();
        Document doc = new Document("tenant", fact.key().tenant())
                .append("entity", fact.key().entity())
                .append("attribute", fact.key().attribute())
                .append("value", fact.valueJson())
                .append("expiresAt", fact.expiresAt() == null ? null : Date.from(fact.expiresAt()))
                .append("updatedAt", Date.from(fact.updatedAt()));
        try {
            replace(fact.key(), doc);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // a concurrent upsert of the same key won the insert; ours now replaces it
            replace(fact.key(), doc);
        }
    }

    private void replace(FactKey key, Document doc) {
        MongoCalls.call(() -> facts.replaceOne(keyFilter(key), doc, new ReplaceOptions().upsert(true)));
    }

    @Override
    public Optional<StoredFact> find(FactKey key, Instant now) {
        ensureIndexes();
        Document doc = MongoCalls.call(
                () -> facts.find(Filters.and(keyFilter(key), unexpired(now))).first());
        return Optional.ofNullable(doc).map(MongoFactStore::toFact);
    }

    @Override
    public boolean delete(FactKey key) {
        ensureIndexes();
        return MongoCalls.call(() -> facts.deleteOne(keyFilter(key)).getDeletedCount()) > 0;
    }

    @Override
    public List<StoredFact> list(String tenant, String entity, Instant now, int limit) {
        ensureIndexes();
        Bson filter = Filters.and(Filters.eq("tenant", tenant), Filters.eq("entity", entity), unexpired(now));
        return MongoCalls.call(() -> {
            List<StoredFact> out = new ArrayList<>();
            for (Document doc :
                    facts.find(filter).sort(Sorts.ascending("attribute")).limit(limit)) {
                out.add(toFact(doc));
            }
            return out;
        });
    }

    @Override
    public int deleteExpired(Instant now, int limit) {
        ensureIndexes();
        return MongoCalls.call(() -> {
            List<Object> ids = new ArrayList<>();
            for (Document doc : facts.find(Filters.lte("expiresAt", Date.from(now)))
                    .projection(Projections.include("_id"))
                    .limit(limit)) {
                ids.add(doc.get("_id"));
            }
            if (ids.isEmpty()) {
                return 0;
            }
            return (int) facts.deleteMany(Filters.and(Filters.in("_id", ids), Filters.lte("expiresAt", Date.from(now))))
                    .getDeletedCount();
        });
    }

    private static Bson keyFilter(FactKey key) {
        return Filters.and(
                Filters.eq("tenant", key.tenant()),
                Filters.eq("entity", key.entity()),
                Filters.eq("attribute", key.attribute()));
    }

    private static Bson unexpired(Instant now) {
        return Filters.gt("expiresAt", Date.from(now));
    }

    private static StoredFact toFact(Document doc) {
        return new StoredFact(
                new FactKey(doc.getString("tenant"), doc.getString("entity"), doc.getString("attribute")),
                doc.getString("value"),
                Tier.MEDIUM,
                doc.getDate("expiresAt").toInstant(),
                doc.getDate("updatedAt").toInstant());
    }
}
