package dev.devloop.knowledge.adapters.out.mongo;

import com.mongodb.client.MongoClient;
import dev.devloop.knowledge.adapters.out.ReadinessProbe;
import dev.devloop.knowledge.config.KnowledgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness of the medium tier: migrations applied, then a bounded MongoDB {@code ping}. */
@Readiness
@ApplicationScoped
public class MongoReadinessCheck implements HealthCheck {
    private final MongoClient mongo;
    private final KnowledgeConfig config;
    private final MongoMigrator migrator;

    public MongoReadinessCheck(MongoClient mongo, KnowledgeConfig config, MongoMigrator migrator) {
        this.mongo = mongo;
        this.config = config;
        this.migrator = migrator;
    }

    @Override
    public HealthCheckResponse call() {
        return ReadinessProbe.check(
                MongoCalls.STORE, config.stores().healthTimeout(), migrator.status(), () -> mongo.getDatabase(
                                config.database())
                        .runCommand(new Document("ping", 1)));
    }
}
