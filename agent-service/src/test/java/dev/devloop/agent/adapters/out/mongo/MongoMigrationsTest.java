package dev.devloop.agent.adapters.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import dev.devloop.migrations.MigrationStatus;
import dev.devloop.migrations.MongoMigrations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** agent-service's own MongoDB migrations against the real server, on a fresh database per test (the runner itself: store-migrations). */
class MongoMigrationsTest {
    private MongoClient client;
    private MongoDatabase db;

    @BeforeEach
    void freshDatabase() {
        client = MongoClients.create(System.getenv().getOrDefault("DEVLOOP_MONGO_URL", "mongodb://127.0.0.1:27017"));
        db = client.getDatabase(
                "devloop_test_migrations_" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterEach
    void dropIt() {
        db.drop();
        client.close();
    }

    private MongoMigrations runner(List<MongoMigrations.Migration> migrations) {
        return new MongoMigrations(db, migrations, Duration.ofSeconds(20), Duration.ofMinutes(1), "test");
    }

    /** A migration after the shipped ones. */
    private static final MongoMigrations.Migration NEXT = new MongoMigrations.Migration(
            MongoMigrator.MIGRATIONS.size() + 1,
            "runs by type",
            List.of(MongoMigrations.index(
                    "runs", "runs_tenant_type", List.of("tenant", "agentType"), false, false, null)));

    private List<String> indexNames(String collection) {
        List<String> names = new ArrayList<>();
        db.getCollection(collection).listIndexes().forEach(d -> names.add(d.getString("name")));
        return names;
    }

    @Test
    void aStoreAtTheFirstVersionIsMigratedToTheLatestAndItsDataIsKept() {
        assertThat(runner(MongoMigrator.MIGRATIONS.subList(0, 1))
                        .migrate(m -> {})
                        .version())
                .isEqualTo("V001");
        db.getCollection("runs")
                .insertOne(new Document("_id", "run_1")
                        .append("tenant", "acme")
                        .append("agentType", "assistant")
                        .append("status", "SUCCEEDED"));

        List<MongoMigrations.Migration> latest = new ArrayList<>(MongoMigrator.MIGRATIONS);
        latest.add(NEXT);
        MigrationStatus status = runner(latest).migrate(m -> {});

        assertThat(status.state()).isEqualTo(MigrationStatus.State.APPLIED);
        assertThat(status.version()).isEqualTo("V003");
        assertThat(runner(latest).applied())
                .extracting(d -> d.getString("_id"))
                .containsExactly("V001", "V002", "V003");
        assertThat(indexNames("runs")).contains("tenant_1_agentId_1", "status_1_leaseUntil_1", "runs_tenant_type");
        assertThat(indexNames("approvals")).contains("tenant_1_status_1_createdAt_1", "unsettled_1_decidedAt_1");
        assertThat(db.getCollection("runs").find(Filters.eq("_id", "run_1")).first())
                .containsEntry("status", "SUCCEEDED");
    }

    @Test
    void grantRevocationsEmptyThemselvesAsTheirGrantsExpire() {
        runner(MongoMigrator.MIGRATIONS).migrate(m -> {});

        List<Document> indexes = new ArrayList<>();
        db.getCollection("grant_revocations").listIndexes().forEach(indexes::add);
        assertThat(indexes)
                .filteredOn(d -> "expiresAt_ttl".equals(d.getString("name")))
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.get("key", Document.class)).containsEntry("expiresAt", 1);
                    assertThat(((Number) d.get("expireAfterSeconds")).longValue())
                            .isZero();
                });
    }

    @Test
    void aDatabaseIndexedByTheOldConstructorsIsMigratedWithoutConflict() {
        db.getCollection("runs").createIndex(new Document("tenant", 1).append("agentId", 1));
        db.getCollection("approvals")
                .createIndex(
                        new Document("unsettled", 1).append("decidedAt", 1),
                        new com.mongodb.client.model.IndexOptions().sparse(true));

        MigrationStatus status = runner(MongoMigrator.MIGRATIONS).migrate(m -> {});

        assertThat(status.state()).as(status.reason()).isEqualTo(MigrationStatus.State.APPLIED);
        assertThat(status.version()).isEqualTo("V002");
    }
}
