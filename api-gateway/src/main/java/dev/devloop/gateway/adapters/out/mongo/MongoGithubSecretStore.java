package dev.devloop.gateway.adapters.out.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.GithubSecret;
import dev.devloop.gateway.ports.out.GithubSecretStorePort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;

/** GitHub webhook secrets in MongoDB {@code devloop_gateway.github_secrets}, one document per tenant ({@code _id}). */
@ApplicationScoped
public class MongoGithubSecretStore implements GithubSecretStorePort {
    static final String COLLECTION = "github_secrets";
    private final MongoClient mongo;
    private final GatewayConfig config;

    public MongoGithubSecretStore(MongoClient mongo, GatewayConfig config) {
        this.mongo = mongo;
        this.config = config;
    }

    @Override
    public Optional<GithubSecret> find(String tenant) {
        Document doc = collection().find(Filters.eq("_id", tenant)).first();
        if (doc == null) {
            return Optional.empty();
        }
        Date until = doc.getDate("previousValidUntil");
        return Optional.of(new GithubSecret(
                doc.getString("_id"),
                doc.getString("current"),
                doc.getString("previous"),
                until == null ? null : until.toInstant(),
                doc.getDate("updatedAt").toInstant()));
    }

    @Override
    public void save(GithubSecret secret) {
        Document doc = new Document("_id", secret.tenant())
                .append("current", secret.current())
                .append("previous", secret.previous())
                .append(
                        "previousValidUntil",
                        secret.previousValidUntil() == null ? null : Date.from(secret.previousValidUntil()))
                .append("updatedAt", Date.from(secret.updatedAt()));
        collection().replaceOne(Filters.eq("_id", secret.tenant()), doc, new ReplaceOptions().upsert(true));
    }

    private MongoCollection<Document> collection() {
        return mongo.getDatabase(config.webhooks().database()).getCollection(COLLECTION);
    }
}
