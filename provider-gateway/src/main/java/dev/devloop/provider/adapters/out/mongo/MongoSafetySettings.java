package dev.devloop.provider.adapters.out.mongo;

import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.domain.InjectionMode;
import dev.devloop.provider.domain.SafetyAudit;
import dev.devloop.provider.domain.SafetySettings;
import dev.devloop.provider.ports.out.SafetySettingsPort;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Safety settings in MongoDB {@code devloop_providers.safety_settings} (one document per tenant, {@code _id} =
 * tenant) and their audit trail in {@code safety_audit} (one document per change, index {@code tenant_at}: migration
 * V001, {@link MongoMigrator}).
 * A change is one {@code findOneAndReplace} (upsert) returning the document it replaced, so the audited
 * "before" is exact even when replicas write at once. Every call is bounded by
 * {@code devloop.provider.safety.timeout}; failures propagate (defaults on the generate path, 503 on the API).
 */
@ApplicationScoped
public class MongoSafetySettings implements SafetySettingsPort {
    static final String SETTINGS = "safety_settings";
    static final String AUDIT = "safety_audit";

    private final ReactiveMongoCollection<Document> settings;
    private final ReactiveMongoCollection<Document> audit;
    private final Duration timeout;

    public MongoSafetySettings(ReactiveMongoClient mongo, ProviderConfig config) {
        this.settings = mongo.getDatabase(config.database()).getCollection(SETTINGS);
        this.audit = mongo.getDatabase(config.database()).getCollection(AUDIT);
        this.timeout = config.safety().timeout();
    }

    private static Bson byTenant(String tenant) {
        return new Document("_id", tenant);
    }

    @Override
    public Optional<SafetySettings> load(String tenant) {
        Document d = settings.find(byTenant(tenant)).collect().first().await().atMost(timeout);
        return Optional.ofNullable(d).map(MongoSafetySettings::settingsOf);
    }

    @Override
    public Optional<SafetySettings> put(String tenant, SafetySettings s) {
        Document doc = new Document("_id", tenant)
                .append("piiRedaction", s.piiRedaction())
                .append("injectionMode", s.injectionMode().wire())
                .append("updatedAt", s.updatedAt() == null ? null : Date.from(s.updatedAt()))
                .append("updatedBy", s.updatedBy());
        Document before = settings.findOneAndReplace(
                        byTenant(tenant),
                        doc,
                        new FindOneAndReplaceOptions().upsert(true).returnDocument(ReturnDocument.BEFORE))
                .await()
                .atMost(timeout);
        return Optional.ofNullable(before).map(MongoSafetySettings::settingsOf);
    }

    @Override
    public void audit(SafetyAudit e) {
        Document doc = new Document("_id", e.id())
                .append("tenant", e.tenant())
                .append("subject", e.subject())
                .append("at", Date.from(e.at()))
                .append(
                        "previous",
                        new Document("piiRedaction", e.previousPiiRedaction())
                                .append("injectionMode", e.previousInjectionMode()))
                .append(
                        "current",
                        new Document("piiRedaction", e.piiRedaction()).append("injectionMode", e.injectionMode()))
                .append("reason", e.reason());
        audit.insertOne(doc).await().atMost(timeout);
    }

    @Override
    public List<SafetyAudit> audit(String tenant, int limit) {
        List<Document> docs = audit.find(
                        new Document("tenant", tenant),
                        new io.quarkus.mongodb.FindOptions()
                                .sort(Sorts.descending("at"))
                                .limit(limit))
                .collect()
                .asList()
                .await()
                .atMost(timeout);
        return docs.stream()
                .map(d -> {
                    Document prev = d.get("previous", Document.class);
                    Document cur = d.get("current", Document.class);
                    return new SafetyAudit(
                            d.getString("_id"),
                            d.getString("tenant"),
                            d.getString("subject"),
                            d.getDate("at").toInstant(),
                            Boolean.TRUE.equals(prev.getBoolean("piiRedaction")),
                            prev.getString("injectionMode"),
                            Boolean.TRUE.equals(cur.getBoolean("piiRedaction")),
                            cur.getString("injectionMode"),
                            d.getString("reason"));
                })
                .toList();
    }

    private static SafetySettings settingsOf(Document d) {
        // a value not written by us keeps the safe side: redaction on, mode flag
        Boolean pii = d.getBoolean("piiRedaction");
        InjectionMode mode = InjectionMode.of(d.getString("injectionMode")).orElse(InjectionMode.FLAG);
        Date at = d.getDate("updatedAt");
        return new SafetySettings(
                pii == null || pii, mode, at == null ? null : at.toInstant(), d.getString("updatedBy"));
    }
}
