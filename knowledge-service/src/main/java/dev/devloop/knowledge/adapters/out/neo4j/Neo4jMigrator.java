package dev.devloop.knowledge.adapters.out.neo4j;

import dev.devloop.knowledge.adapters.out.StoreMigrations;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.migrations.MigrationStatus;
import dev.devloop.migrations.StoreMigrator;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CountDownLatch;
import org.neo4j.driver.Driver;

/** Knowledge-service's Neo4j migrations at start ({@link Neo4jMigrations}); readiness reads its status. */
@ApplicationScoped
public class Neo4jMigrator {
    private final StoreMigrator migrator;
    private final CountDownLatch firstAttempt = new CountDownLatch(1);

    public Neo4jMigrator(Driver driver, KnowledgeConfig config) {
        Neo4jMigrations migrations = Neo4jMigrations.standard(
                driver, config.embeddings().dimensions(), config.stores().migrationLockWait(), "knowledge-service");
        this.migrator = new StoreMigrator(
                Neo4jGraph.STORE,
                () -> migrations.migrate(Log::info),
                config.stores().migrationRetry());
    }

    /**
     * The first attempt (blocking), then background retries while Neo4j is unreachable; run off the start thread by
     * {@code adapters.out.StoreMigrations}.
     */
    public void startNow() {
        try {
            migrator.start();
        } finally {
            firstAttempt.countDown();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        migrator.stop();
    }

    public MigrationStatus status() {
        return migrator.status();
    }

    /**
     * 503 {@code store-unavailable} unless the database is at the code's version. A call arriving while the start's
     * first attempt runs in the background waits for it (up to {@link StoreMigrations#FIRST_ATTEMPT_WAIT}) instead
     * of failing at once.
     */
    public void ensureMigrated() {
        if (!migrator.status().ready()) {
            StoreMigrations.awaitQuietly(firstAttempt);
        }
        migrator.ensureMigrated(reason -> new dev.devloop.knowledge.ports.out.TierUnavailableException(
                Neo4jGraph.STORE, new IllegalStateException(reason)));
    }
}
