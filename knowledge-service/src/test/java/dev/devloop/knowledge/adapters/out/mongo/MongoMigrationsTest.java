package dev.devloop.knowledge.adapters.out.mongo;

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

/**
 * Knowledge-service's own MongoDB migrations ({@link MongoMigrator#MIGRATIONS}) against the real server, on a fresh
 * database per test. The generic runner (lock, checksums, refusals, half-done versions) is tested once, in
 * store-migrations' {@code MongoMigrationsTest}.
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

    private MongoMigrations runner(List<MongoMigrations.Migration> migrations) {
        return new MongoMigrations(db, migrations, Duration.ofSeconds(20), Duration.ofMinutes(1), "test");
    }

    private List<Document> indexes(String collection) {
        List<Document> found = new ArrayList<>();
        db.getCollection(collection).listIndexes().forEach(found::add);
        return found;
    }

    private Document index(String collection, String name) {
        return indexes(collection).stream()
                .filter(d -> name.equals(d.getString("name")))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void anEmptyStoreGetsTheFactAndProcessedEventIndexesTheAdaptersRelyOn() {
        MigrationStatus status = runner(MongoMigrator.MIGRATIONS).migrate(m -> {});

        assertThat(status.state()).isEqualTo(MigrationStatus.State.APPLIED);
        assertThat(status.version()).isEqualTo("V001");
        Document key = index(MongoFactStore.COLLECTION, "fact_key");
        assertThat(key.get("key", Document.class).keySet()).containsExactly("tenant", "entity", "attribute");
        assertThat(key.getBoolean("unique")).isTrue();
        assertThat(index(MongoFactStore.COLLECTION, "fact_ttl")
                        .get("expireAfterSeconds", Number.class)
                        .longValue())
                .isZero();
        assertThat(index(MongoProcessedEvents.COLLECTION, "processed_at")
                        .get("key", Document.class)
                        .keySet())
                .containsExactly("processedAt");
    }

    @Test
    void aStoreAtTheFirstVersionIsMigratedToTheLatestAndItsDataIsKept() {
        assertThat(runner(MongoMigrator.MIGRATIONS).migrate(m -> {}).version()).isEqualTo("V001");
        db.getCollection(MongoFactStore.COLLECTION)
                .insertOne(new Document("tenant", "acme")
                        .append("entity", "build")
                        .append("attribute", "status")
                        .append("value", "\"green\""));
        List<MongoMigrations.Migration> latest = new ArrayList<>(MongoMigrator.MIGRATIONS);
        latest.add(new MongoMigrations.Migration(
                2,
                "facts by entity",
                List.of(MongoMigrations.index(
                        MongoFactStore.COLLECTION, "fact_entity", List.of("tenant", "entity"), false, false, null))));

        MigrationStatus status = runner(latest).migrate(m -> {});

        assertThat(status.state()).isEqualTo(MigrationStatus.State.APPLIED);
        assertThat(status.version()).isEqualTo("V002");
        assertThat(indexes(MongoFactStore.COLLECTION))
                .extracting(d -> d.getString("name"))
                .contains("fact_key", "fact_ttl", "fact_entity");
        assertThat(db.getCollection(MongoFactStore.COLLECTION)
                        .find(Filters.eq("entity", "build"))
                        .first())
                .containsEntry("value", "\"green\"");
    }
}
