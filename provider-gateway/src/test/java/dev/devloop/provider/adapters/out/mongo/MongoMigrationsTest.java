package dev.devloop.provider.adapters.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.devloop.migrations.MigrationStatus;
import dev.devloop.migrations.MongoMigrations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * provider-gateway's own MongoDB migrations ({@link MongoMigrator#MIGRATIONS}) and its {@code mongodb-migrations}
 * readiness check against the real server, on a fresh database per test (the runner itself: store-migrations).
 */
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

    private MongoMigrator migrator(List<MongoMigrations.Migration> migrations) {
        return new MongoMigrator(db, migrations, Duration.ofSeconds(20), Duration.ofSeconds(1));
    }

    private Document index(String collection, String name) {
        List<Document> found = new ArrayList<>();
        db.getCollection(collection).listIndexes().forEach(found::add);
        return found.stream()
                .filter(d -> name.equals(d.getString("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no index " + name + " on " + collection + ": " + found));
    }

    private static MongoMigrations.Step insert(String collection, Document document) {
        return new MongoMigrations.Step() {
            @Override
            public String describe() {
                return "insert " + collection + " " + document.toJson();
            }

            @Override
            public void apply(MongoDatabase database) {
                database.getCollection(collection).insertOne(document);
            }
        };
    }

    private long recordedVersions() {
        return db.getCollection(MongoMigrations.COLLECTION).countDocuments(Filters.exists("version"));
    }

    @Test
    void aDatabaseIndexedByTheOldStartupCodeIsMigratedWithItsDataKeptAndBecomesReady() {
        // what the adapters' startup observers created before migrations existed, with data in it
        db.getCollection(MongoUsageLedger.COLLECTION)
                .createIndex(Indexes.ascending("tenant", "at"), new IndexOptions().name("tenant_at"));
        db.getCollection(MongoSafetySettings.AUDIT)
                .createIndex(Indexes.descending("tenant", "at"), new IndexOptions().name("tenant_at"));
        db.getCollection(MongoUsageLedger.COLLECTION)
                .insertOne(new Document("_id", "u1")
                        .append("tenant", "acme")
                        .append("model", "gpt-4o-mini")
                        .append("totalTokens", 60)
                        .append("at", new Date()));
        db.getCollection(MongoSafetySettings.AUDIT)
                .insertOne(new Document("tenant", "acme").append("actor", "ops").append("at", new Date()));
        MongoMigrator migrator = migrator(MongoMigrator.MIGRATIONS);
        assertThat(migrator.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);

        migrator.onStart(null);

        MigrationStatus status = migrator.status();
        assertThat(status.state()).as(status.reason()).isEqualTo(MigrationStatus.State.APPLIED);
        assertThat(status.version()).isEqualTo("V001");
        HealthCheckResponse health = migrator.call();
        assertThat(health.getName()).isEqualTo("mongodb-migrations");
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(health.getData().orElseThrow()).containsEntry("migrations", "applied");
        assertThat(db.getCollection(MongoUsageLedger.COLLECTION)
                        .find(Filters.eq("_id", "u1"))
                        .first())
                .containsEntry("tenant", "acme")
                .containsEntry("totalTokens", 60);
        assertThat(db.getCollection(MongoSafetySettings.AUDIT).countDocuments(Filters.eq("actor", "ops")))
                .isEqualTo(1);
        assertThat(index(MongoUsageLedger.COLLECTION, "tenant_at").get("key", Document.class))
                .isEqualTo(new Document("tenant", 1).append("at", 1));
        assertThat(index(MongoSafetySettings.AUDIT, "tenant_at").get("key", Document.class))
                .isEqualTo(new Document("tenant", -1).append("at", -1));
    }

    @Test
    void anEmptyDatabaseGetsTheIndexesTheAdaptersQueryBy() {
        MongoMigrator migrator = migrator(MongoMigrator.MIGRATIONS);

        migrator.onStart(null);

        assertThat(migrator.status().state()).isEqualTo(MigrationStatus.State.APPLIED);
        assertThat(index(MongoUsageLedger.COLLECTION, "tenant_at").get("key", Document.class))
                .isEqualTo(new Document("tenant", 1).append("at", 1));
        assertThat(index(MongoSafetySettings.AUDIT, "tenant_at").get("key", Document.class))
                .isEqualTo(new Document("tenant", -1).append("at", -1));
        assertThat(recordedVersions()).isEqualTo(1);
    }

    @Test
    void aDatabaseNewerThanTheCodeIsRefusedAndTheServiceIsNotReadyWithTheReasonInHealth() {
        migrator(MongoMigrator.MIGRATIONS).onStart(null);
        List<MongoMigrations.Migration> newer = new ArrayList<>(MongoMigrator.MIGRATIONS);
        newer.add(new MongoMigrations.Migration(
                2,
                "usage by model",
                List.of(MongoMigrations.index(
                        MongoUsageLedger.COLLECTION, "tenant_model", List.of("tenant", "model"), false, false, null))));
        migrator(newer).onStart(null); // a newer gateway migrated the store to V002

        MongoMigrator older = migrator(MongoMigrator.MIGRATIONS);
        older.onStart(null);

        assertThat(older.status().state()).isEqualTo(MigrationStatus.State.REFUSED);
        HealthCheckResponse health = older.call();
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(health.getData().orElseThrow())
                .containsEntry("migrations", "refused")
                .containsEntry("version", "V002");
        assertThat((String) health.getData().orElseThrow().get("error"))
                .contains("V002 is unknown to this code (it knows up to V001)");
        assertThat(recordedVersions()).isEqualTo(2);
    }

    @Test
    void aMigrationFailingHalfwayLeavesTheVersionUnchangedAndTheServiceNotReady() {
        migrator(MongoMigrator.MIGRATIONS).onStart(null);
        db.getCollection(MongoUsageLedger.COLLECTION).insertOne(new Document("_id", "u1").append("tenant", "acme"));
        List<MongoMigrations.Migration> broken = new ArrayList<>(MongoMigrator.MIGRATIONS);
        broken.add(new MongoMigrations.Migration(
                2,
                "usage by model, then a step that breaks",
                List.of(
                        MongoMigrations.index(
                                MongoUsageLedger.COLLECTION,
                                "tenant_model",
                                List.of("tenant", "model"),
                                false,
                                false,
                                null),
                        insert(MongoUsageLedger.COLLECTION, new Document("_id", "u1"))))); // duplicate key

        MongoMigrator migrator = migrator(broken);
        migrator.onStart(null);

        assertThat(migrator.status().state()).isEqualTo(MigrationStatus.State.FAILED);
        HealthCheckResponse health = migrator.call();
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(health.getData().orElseThrow())
                .containsEntry("migrations", "failed")
                .containsEntry("version", "V001");
        assertThat((String) health.getData().orElseThrow().get("error"))
                .contains("migration V002 (usage by model, then a step that breaks) failed");
        assertThat(recordedVersions()).isEqualTo(1);
        assertThat(db.getCollection(MongoMigrations.COLLECTION).countDocuments(Filters.eq("_id", "V002")))
                .isZero();
        assertThat(db.getCollection(MongoUsageLedger.COLLECTION).find().into(new ArrayList<>()))
                .containsExactly(new Document("_id", "u1").append("tenant", "acme"));
    }
}
