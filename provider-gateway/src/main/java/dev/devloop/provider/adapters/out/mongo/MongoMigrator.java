package dev.devloop.provider.adapters.out.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.devloop.migrations.MigrationHealth;
import dev.devloop.migrations.MigrationStatus;
import dev.devloop.migrations.MongoMigrations;
import dev.devloop.migrations.StoreMigrator;
import dev.devloop.provider.config.ProviderConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * provider-gateway's MongoDB migrations ({@link MongoMigrations}) on {@code devloop_providers}, run at start (before
 * the hot-path warm-up), and the {@code mongodb-migrations} readiness check (DOWN with the state, version and reason
 * until they are applied). To add one: append a {@code Migration} with the next version to {@link #MIGRATIONS} (never
 * edit an applied one: its checksum is recorded).
 */
@Readiness
@ApplicationScoped
public class MongoMigrator implements HealthCheck {
    /**
     * The versions, in order. V001 = the indexes {@link MongoUsageLedger} and {@link MongoSafetySettings} created at
     * start before migrations existed, under the same names and keys (so existing databases match).
     */
    public static final List<MongoMigrations.Migration> MIGRATIONS = List.of(new MongoMigrations.Migration(
            1,
            "usage ledger and safety audit indexes",
            List.of(
                    MongoMigrations.index(
                            MongoUsageLedger.COLLECTION, "tenant_at", List.of("tenant", "at"), false, false, null),
                    descendingIndex(MongoSafetySettings.AUDIT, "tenant_at", List.of("tenant", "at")))));

    /** How long a runner's lock lives without being refreshed (a crashed runner frees it after this). */
    static final Duration LOCK_TTL = Duration.ofMinutes(5);

    private final StoreMigrator migrator;

    @Inject
    public MongoMigrator(MongoClient mongo, ProviderConfig config) {
        this(
                mongo.getDatabase(config.database()),
                MIGRATIONS,
                config.migrations().lockWait(),
                config.migrations().retry());
    }

    MongoMigrator(
            MongoDatabase database, List<MongoMigrations.Migration> migrations, Duration lockWait, Duration retry) {
        MongoMigrations runner = new MongoMigrations(database, migrations, lockWait, LOCK_TTL, "provider-gateway");
        this.migrator = new StoreMigrator("mongodb", () -> runner.migrate(Log::info), retry);
    }

    // before HotPathWarmup's start (default priority), so the warm-up's MongoDB reads find the store migrated
    void onStart(@Observes @Priority(10) StartupEvent event) {
        migrator.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        migrator.stop();
    }

    public MigrationStatus status() {
        return migrator.status();
    }

    @Override
    public HealthCheckResponse call() {
        return MigrationHealth.of("mongodb-migrations", migrator.status());
    }

    /**
     * An index with every key descending (the shared runner's {@code index} step is ascending only; the safety audit
     * index was created descending, and an index of that name with other keys would conflict).
     */
    static MongoMigrations.Step descendingIndex(String collection, String name, List<String> keys) {
        return new MongoMigrations.Step() {
            @Override
            public String describe() {
                return "index " + collection + "." + name + " " + keys + " descending";
            }

            @Override
            public void apply(MongoDatabase database) {
                database.getCollection(collection).createIndex(Indexes.descending(keys), new IndexOptions().name(name));
            }
        };
    }
}
