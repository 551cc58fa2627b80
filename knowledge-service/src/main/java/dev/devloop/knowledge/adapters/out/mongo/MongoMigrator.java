package dev.devloop.knowledge.adapters.out.mongo;

import com.mongodb.client.MongoClient;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.migrations.MigrationStatus;
import dev.devloop.migrations.MongoMigrations;
import dev.devloop.migrations.StoreMigrator;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;

/**
 * Knowledge-service's MongoDB migrations ({@link MongoMigrations}) on {@code devloop_knowledge}, run at start;
 * readiness and the Mongo adapters read the status. To add one: append a {@code Migration} with the next version
 * to {@link #MIGRATIONS} (never edit an applied one: its checksum is recorded).
 */
@ApplicationScoped
public class MongoMigrator {
    /** The versions, in order. V001 = the indexes the adapters created at start before migrations existed. */
    public static final List<MongoMigrations.Migration> MIGRATIONS = List.of(new MongoMigrations.Migration(
            1,
            "facts and processed events indexes",
            List.of(
                    MongoMigrations.index(
                            MongoFactStore.COLLECTION,
                            "fact_key",
                            List.of("tenant", "entity", "attribute"),
                            true,
                            false,
                            null),
                    MongoMigrations.index(
                            MongoFactStore.COLLECTION, "fact_ttl", List.of("expiresAt"), false, false, 0L),
                    MongoMigrations.index(
                            MongoProcessedEvents.COLLECTION,
                            "processed_at",
                            List.of("processedAt"),
                            false,
                            false,
                            null))));

    /** How long a runner's lock lives without being refreshed (a crashed runner frees it after this). */
    static final Duration LOCK_TTL = Duration.ofMinutes(5);

    private final StoreMigrator migrator;

    public MongoMigrator(MongoClient mongo, KnowledgeConfig config) {
        MongoMigrations migrations = new MongoMigrations(
                mongo.getDatabase(config.database()),
                MIGRATIONS,
                config.stores().migrationLockWait(),
                LOCK_TTL,
                "knowledge-service");
        this.migrator = new StoreMigrator(
                MongoCalls.STORE,
                () -> migrations.migrate(Log::info),
                config.stores().migrationRetry());
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        migrator.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        migrator.stop();
    }

    public MigrationStatus status() {
        return migrator.status();
    }

    /** 503 {@code store-unavailable} unless the database is at the code's version. */
    public void ensureMigrated() {
        migrator.ensureMigrated(reason -> new dev.devloop.knowledge.ports.out.TierUnavailableException(
                MongoCalls.STORE, new IllegalStateException(reason)));
    }
}
