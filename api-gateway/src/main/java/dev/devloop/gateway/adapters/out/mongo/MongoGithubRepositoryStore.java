package dev.devloop.gateway.adapters.out.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.ports.out.GithubRepositoryStorePort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/**
 * Repository ownership in MongoDB {@code devloop_gateway.github_repositories}: {@code _id} is the lower-case
 * {@code owner/name}, so the primary key itself keeps a repository with one tenant (two registrations racing: one
 * insert wins, the other reads the winner). Its tenant index is {@link MongoMigrator}'s V002.
 */
@ApplicationScoped
public class MongoGithubRepositoryStore implements GithubRepositoryStorePort {
    static final String COLLECTION = "github_repositories";
    private final MongoClient mongo;
    private final GatewayConfig config;

    public MongoGithubRepositoryStore(MongoClient mongo, GatewayConfig config) {
        this.mongo = mongo;
        this.config = config;
    }

    @Override
    public Registration register(String tenant, String repository) {
        try {
            collection()
                    .insertOne(new Document("_id", repository)
                            .append("tenant", tenant)
                            .append("registeredAt", new Date()));
            return Registration.REGISTERED;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        return owner(repository).filter(tenant::equals).isPresent()
                ? Registration.ALREADY_YOURS
                : Registration.OWNED_BY_ANOTHER;
    }

    @Override
    public Optional<String> owner(String repository) {
        Document doc = collection()
                .find(Filters.eq("_id", repository))
                .projection(Projections.include("tenant"))
                .first();
        return doc == null ? Optional.empty() : Optional.ofNullable(doc.getString("tenant"));
    }

    @Override
    public List<String> list(String tenant, int limit) {
        List<String> names = new ArrayList<>();
        for (Document doc : collection()
                .find(Filters.eq("tenant", tenant))
                .projection(Projections.include("_id"))
                .sort(Sorts.ascending("_id"))
                .limit(limit)) {
            names.add(doc.getString("_id"));
        }
        return names;
    }

    @Override
    public long count(String tenant) {
        return collection().countDocuments(Filters.eq("tenant", tenant));
    }

    @Override
    public boolean remove(String tenant, String repository) {
        return collection()
                        .deleteOne(Filters.and(Filters.eq("_id", repository), Filters.eq("tenant", tenant)))
                        .getDeletedCount()
                > 0;
    }

    private MongoCollection<Document> collection() {
        return mongo.getDatabase(config.webhooks().database()).getCollection(COLLECTION);
    }
}
