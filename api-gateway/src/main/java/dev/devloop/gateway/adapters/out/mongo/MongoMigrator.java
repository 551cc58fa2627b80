package dev.devloop.gateway.adapters.out.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.migrations.MigrationHealth;
import dev.devloop.migrations.MigrationStatus;
import dev.devloop.migrations.MongoMigrations;
import dev.devloop.migrations.StoreMigrator;
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
 * The gateway's MongoDB migrations ({@link MongoMigrations}) on {@code devloop_gateway}, run at start, and the
 * {@code mongodb-migrations} readiness check. To add one: append a {@code Migration} with the next version to
 * {@link #MIGRATIONS} (never edit an applied one: its checksum is recorded).
 *
 * <p>Readiness: DOWN with the state, version and reason when a migration FAILED or the store was REFUSED (newer than
 * this code, a changed checksum, a lock never released) — the code and its store disagree. While MongoDB is merely
 * unreachable (PENDING, retried in the background) it stays UP with the reason as data: MongoDB down degrades the
 * webhook routes only (503), never the gateway's readiness (see {@code GatewayReadinessCheck}).
 */
@Readiness
@ApplicationScoped
public class MongoMigrator implements HealthCheck {
    /**
     * The versions, in order. V001 = the indexes {@link MongoDeliveryLog} and {@link MongoWebhookStore} created on
     * first use before migrations existed, under the same names (so existing databases match).
     */
    public static final List<MongoMigrations.Migration> MIGRATIONS = List.of(
            new MongoMigrations.Migration(
                    1,
                    "webhook subscription and delivery log indexes",
                    List.of(
                            MongoMigrations.index(
                                    MongoWebhookStore.COLLECTION,
                                    "tenant_eventTypes",
                                    List.of("tenant", "eventTypes"),
                                    false,
                                    false,
                                    null),
                            MongoMigrations.index(
                                    MongoDeliveryLog.COLLECTION,
                                    "tenant_webhook_at",
                                    List.of("tenant", "webhookId", "at"),
                                    false,
                                    false,
                                    null),
                            MongoMigrations.index(
                                    MongoDeliveryLog.COLLECTION,
                                    "tenant_delivery_outcome",
                                    List.of("tenant", "deliveryId", "outcome"),
                                    false,
                                    false,
                                    null))),
            new MongoMigrations.Migration(
                    2,
                    "github repositories by tenant",
                    List.of(MongoMigrations.index(
                            MongoGithubRepositoryStore.COLLECTION,
                            "tenant_repository",
                            List.of("tenant", "_id"),
                            false,
                            false,
                            null))));

    /** How long a runner's lock lives without being refreshed (a crashed runner frees it after this). */
    static final Duration LOCK_TTL = Duration.ofMinutes(5);

    private final StoreMigrator migrator;

    @Inject
    public MongoMigrator(MongoClient mongo, GatewayConfig config) {
        this(
                mongo.getDatabase(config.webhooks().database()),
                MIGRATIONS,
                config.migrations().lockWait(),
                config.migrations().retry());
    }

    /** {@code migrations} other than {@link #MIGRATIONS}: tests only. */
    MongoMigrator(
            MongoDatabase database, List<MongoMigrations.Migration> migrations, Duration lockWait, Duration retry) {
        MongoMigrations runner = new MongoMigrations(database, migrations, lockWait, LOCK_TTL, "api-gateway");
        this.migrator = new StoreMigrator("mongodb", () -> runner.migrate(Log::info), retry);
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        migrator.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        migrator.stop();
    }

    /** Runs the migrations now if they have not finished (the start does it; tests call it directly). */
    MigrationStatus migrate() {
        return migrator.migrate();
    }

    public MigrationStatus status() {
        return migrator.status();
    }

    @Override
    public HealthCheckResponse call() {
        return MigrationHealth.of("mongodb-migrations", migrator.status(), true);
    }
}
