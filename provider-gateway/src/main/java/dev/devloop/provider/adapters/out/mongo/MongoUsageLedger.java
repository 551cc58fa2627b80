package dev.devloop.provider.adapters.out.mongo;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.devloop.provider.domain.UsageRecord;
import dev.devloop.provider.ports.out.UsageLedgerPort;
import io.quarkus.logging.Log;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Date;
import org.bson.Document;
import dev.devloop.provider.config.ProviderConfig;

/**
 * Usage ledger in MongoDB {@code devloop_providers.usage}: one document per answered call, keyed by
 * its id, carrying the tenant. Writes are fire-and-forget so a slow store never delays an answer.
 */
@ApplicationScoped
public class MongoUsageLedger implements UsageLedgerPort {
  static final String COLLECTION = "usage";

  private final ReactiveMongoCollection<Document> usage;

  public MongoUsageLedger(ReactiveMongoClient mongo, ProviderConfig config) {
    this.usage = mongo.getDatabase(config.database()).getCollection(COLLECTION);
  }

  void createIndexes(@Observes StartupEvent ignored) {
    usage.createIndex(Indexes.ascending("tenant", "at"), new IndexOptions().name("tenant_at"))
        .subscribe().with(
            name -> Log.debugf("usage index ready: %s", name),
            failure -> Log.warnf("usage index not created: %s", failure.getMessage()));
  }

  @Override
  public void record(UsageRecord u) {
    Document doc = new Document("_id", u.id())
        .append("tenant", u.tenant())
        .append("agentId", u.agentId())
        .append("provider", u.provider())
        .append("model", u.model())
        .append("inputTokens", u.inputTokens())
        .append("outputTokens", u.outputTokens())
        .append("totalTokens", u.totalTokens())
        .append("cached", u.cached())
        .append("streamed", u.streamed())
        .append("finishReason", u.finishReason())
        .append("latencyMs", u.latencyMs())
        .append("at", Date.from(u.at()))
        .append("costUsd", u.costUsd());
    usage.insertOne(doc).subscribe().with(
        ok -> { },
        failure -> Log.warnf("usage not recorded tenant=%s id=%s error=%s", u.tenant(), u.id(), failure.getMessage()));
  }
}
