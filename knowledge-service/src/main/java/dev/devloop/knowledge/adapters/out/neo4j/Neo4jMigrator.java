package dev.devloop.knowledge.adapters.out.neo4j;

import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.ports.out.EmbeddingModels;
import dev.devloop.migrations.MigrationStatus;
import dev.devloop.migrations.StoreMigrator;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.neo4j.driver.Driver;

/** Knowledge-service's Neo4j migrations at start ({@link Neo4jMigrations}); readiness reads its status. */
@ApplicationScoped
public class Neo4jMigrator {
    private final StoreMigrator migrator;

    public Neo4jMigrator(Driver driver, KnowledgeConfig config) {
        Neo4jMigrations migrations = Neo4jMigrations.standard(
                driver,
                config.embeddings().dimensions(),
                config.search().exactScanBelow(),
                config.stores().migrationLockWait(),
                "knowledge-service",
                untaggedModel(config.embeddings()));
        this.migrator = new StoreMigrator(
                Neo4jGraph.STORE,
                () -> migrations.migrate(Log::info),
                config.stores().migrationRetry());
    }

    /**
     * The model id V004 gives vectors stored before model ids existed: the fp32 {@code all-minilm-l6-v2} for
     * {@code provider=local} whatever {@code local-model} says now (an upgrade that also switches to int8 must not
     * tag old fp32 vectors as int8), the configured gateway model's id otherwise.
     */
    static String untaggedModel(KnowledgeConfig.Embeddings embeddings) {
        return embeddings.provider().equals("gateway")
                ? EmbeddingModels.ofGateway(embeddings.model().orElse(null))
                : EmbeddingModels.FP32;
    }

    /** Runs before the other start observers that touch the graph. */
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
                Neo4jGraph.STORE, new IllegalStateException(reason)));
    }
}
