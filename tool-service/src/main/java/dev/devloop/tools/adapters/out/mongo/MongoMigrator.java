package dev.devloop.tools.adapters.out.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.devloop.migrations.MigrationHealth;
import dev.devloop.migrations.MigrationStatus;
import dev.devloop.migrations.MongoMigrations;
import dev.devloop.migrations.StoreMigrator;
import dev.devloop.tools.config.ToolServiceConfig;
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
 * Tool-service's MongoDB migrations ({@link MongoMigrations}) on {@code devloop_tools}, run at start, and the
 * {@code mongodb-migrations} readiness check (DOWN with the state, version and reason until they are applied). To
 * add one: append a {@code Migration} with the next version to {@link #MIGRATIONS} (never edit an applied one: its
 * checksum is recorded).
 */
@Readiness
@ApplicationScoped
public class MongoMigrator implements HealthCheck {
    /**
     * The versions, in order. V001 = the indexes {@code ToolStore} and the local forge's {@code ForgeRecords} created
     * at start before migrations existed, under the names those calls gave them (so existing databases match). The
     * forge collections are named here, not taken from {@code adapters.out.forge}: adapters of two kinds stay apart.
     */
    public static final List<MongoMigrations.Migration> MIGRATIONS = List.of(new MongoMigrations.Migration(
            1,
            "tools, invocations, audit, activity, mcp servers and local forge indexes",
            List.of(
                    MongoMigrations.index(
                            ToolStore.TOOLS, "tools_tenant", List.of("tenant", "enabled"), false, false, null),
                    MongoMigrations.index(
                            ToolStore.INVOCATIONS,
                            "invocations_idempotency",
                            List.of("tenant", "runId", "idempotencyKey"),
                            true,
                            false,
                            null),
                    MongoMigrations.index(
                            ToolStore.AUDIT, "audit_tenant_at", List.of("tenant", "at"), false, false, null),
                    MongoMigrations.index(
                            ToolStore.AUDIT, "audit_tenant_run", List.of("tenant", "runId"), false, false, null),
                    MongoMigrations.index(
                            ToolStore.ACTIVITY,
                            "activity_tenant_agent",
                            List.of("tenant", "agentId", "at"),
                            false,
                            false,
                            null),
                    MongoMigrations.index(
                            ToolStore.MCP_SERVERS, "mcp_servers_tenant", List.of("tenant", "name"), false, false, null),
                    openUniqueIndex(
                            "forge_pull_requests", "forge_pr_open_head", List.of("tenant", "repository", "head")),
                    MongoMigrations.index(
                            "forge_checks",
                            "forge_checks_head",
                            List.of("tenant", "repository", "headSha", "name"),
                            true,
                            false,
                            null),
                    MongoMigrations.index(
                            "forge_checks",
                            "forge_checks_unfinished",
                            List.of("status", "createdAt"),
                            false,
                            false,
                            null),
                    MongoMigrations.index(
                            "forge_issues",
                            "forge_issues_state",
                            List.of("tenant", "repository", "state"),
                            false,
                            false,
                            null))));

    /** How long a runner's lock lives without being refreshed (a crashed runner frees it after this). */
    static final Duration LOCK_TTL = Duration.ofMinutes(5);

    private final StoreMigrator migrator;

    @Inject
    public MongoMigrator(MongoClient mongo, ToolServiceConfig config) {
        this(
                mongo.getDatabase(config.database()),
                MIGRATIONS,
                config.migrations().lockWait(),
                config.migrations().retry());
    }

    MongoMigrator(
            MongoDatabase database, List<MongoMigrations.Migration> migrations, Duration lockWait, Duration retry) {
        MongoMigrations runner = new MongoMigrations(database, migrations, lockWait, LOCK_TTL, "tool-service");
        this.migrator = new StoreMigrator("mongodb", () -> runner.migrate(Log::info), retry);
    }

    /**
     * A unique index over documents whose {@code state} is {@code open} (MongoMigrations.index has no partial
     * filter): at most one open pull request per head branch.
     */
    static MongoMigrations.Step openUniqueIndex(String collection, String name, List<String> keys) {
        return new MongoMigrations.Step() {
            @Override
            public String describe() {
                return "index " + collection + "." + name + " " + keys + " unique partial state=open";
            }

            @Override
            public void apply(MongoDatabase database) {
                database.getCollection(collection)
                        .createIndex(
                                Indexes.ascending(keys),
                                new IndexOptions()
                                        .name(name)
                                        .unique(true)
                                        .partialFilterExpression(Filters.eq("state", "open")));
            }
        };
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        start();
    }

    /** One attempt now, then background retries while MongoDB is unreachable. */
    void start() {
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
