package dev.devloop.agent.adapters.out.mongo;

import com.mongodb.client.MongoClient;
import dev.devloop.agent.config.AgentServiceConfig;
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
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Agent-service's MongoDB migrations ({@link MongoMigrations}) on {@code devloop_agents}, run at start, and the
 * {@code mongodb-migrations} readiness check (DOWN with the state, version and reason until they are applied). To
 * add one: append a {@code Migration} with the next version to {@link #MIGRATIONS} (never edit an applied one: its
 * checksum is recorded).
 */
@Readiness
@ApplicationScoped
public class MongoMigrator implements HealthCheck {
    /**
     * The versions, in order. V001 = the indexes the repositories created in their constructors before migrations
     * existed, under MongoDB's default names (the ones those calls gave them, so existing databases match). V002 =
     * the TTL index that empties {@code grant_revocations} as the revoked grants expire.
     */
    public static final List<MongoMigrations.Migration> MIGRATIONS = List.of(
            new MongoMigrations.Migration(
                    1,
                    "agents, runs, handoffs, approvals and agent type indexes",
                    List.of(
                            MongoMigrations.index(
                                    "agents", "tenant_1_parentId_1", List.of("tenant", "parentId"), false, false, null),
                            MongoMigrations.index(
                                    "runs", "tenant_1_agentId_1", List.of("tenant", "agentId"), false, false, null),
                            MongoMigrations.index(
                                    "runs",
                                    "status_1_leaseUntil_1",
                                    List.of("status", "leaseUntil"),
                                    false,
                                    false,
                                    null),
                            MongoMigrations.index(
                                    "handoffs",
                                    "tenant_1_fromAgentId_1",
                                    List.of("tenant", "fromAgentId"),
                                    false,
                                    false,
                                    null),
                            MongoMigrations.index(
                                    "approvals",
                                    "tenant_1_status_1_createdAt_1",
                                    List.of("tenant", "status", "createdAt"),
                                    false,
                                    false,
                                    null),
                            MongoMigrations.index(
                                    "approvals", "tenant_1_runId_1", List.of("tenant", "runId"), false, false, null),
                            MongoMigrations.index(
                                    "approvals",
                                    "unsettled_1_decidedAt_1",
                                    List.of("unsettled", "decidedAt"),
                                    false,
                                    true,
                                    null),
                            MongoMigrations.index(
                                    "agent_types", "tenant_1_type_1", List.of("tenant", "type"), false, false, null),
                            MongoMigrations.index(
                                    "agent_type_versions",
                                    "tenant_1_type_1_version_1",
                                    List.of("tenant", "type", "version"),
                                    false,
                                    false,
                                    null))),
            new MongoMigrations.Migration(
                    2,
                    "grant revocations expire with their grant",
                    List.of(MongoMigrations.index(
                            MongoGrantRevocationRepository.COLLECTION,
                            "expiresAt_ttl",
                            List.of("expiresAt"),
                            false,
                            false,
                            0L))));

    /** How long a runner's lock lives without being refreshed (a crashed runner frees it after this). */
    static final Duration LOCK_TTL = Duration.ofMinutes(5);

    private final StoreMigrator migrator;

    public MongoMigrator(MongoClient mongo, AgentServiceConfig config) {
        MongoMigrations migrations = new MongoMigrations(
                mongo.getDatabase(config.database()),
                MIGRATIONS,
                config.migrations().lockWait(),
                LOCK_TTL,
                "agent-service");
        this.migrator = new StoreMigrator(
                "mongodb",
                () -> migrations.migrate(Log::info),
                config.migrations().retry());
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

    @Override
    public HealthCheckResponse call() {
        return MigrationHealth.of("mongodb-migrations", migrator.status());
    }
}
