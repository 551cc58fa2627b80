package dev.devloop.gateway.adapters.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.devloop.migrations.MigrationStatus;
import dev.devloop.migrations.MongoMigrations;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own MongoDB migrations ({@link MongoMigrator}) against the real server, on a fresh database per
 * test, and what its {@code mongodb-migrations} readiness check says (the runner itself: store-migrations).
 */
class MongoMigrationsTest {
    private static final Duration LOCK_WAIT = Duration.ofSeconds(20);
    private static final Duration RETRY = Duration.ofSeconds(10);

    private MongoClient client;
    private MongoDatabase db;

    @BeforeEach
    void freshDatabase() {
        client = MongoClients.create(System.getenv().getOrDefault("DEVLOOP_MONGO_URL", "mongodb://127.0.0.1:27017"));
        db = client.getDatabase("devloop_test_gateway_migrations_"
                + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterEach
    void dropIt() {
        db.drop();
        client.close();
    }

    private MongoMigrator migrator(List<MongoMigrations.Migration> migrations) {
        return new MongoMigrator(db, migrations, LOCK_WAIT, RETRY);
    }

    private List<String> indexNames(String collection) {
        List<String> names = new ArrayList<>();
        db.getCollection(collection).listIndexes().forEach(d -> names.add(d.getString("name")));
        return names;
    }

    private static Map<String, Object> data(HealthCheckResponse response) {
        return response.getData().orElseThrow();
    }

    @Test
    void aDatabaseIndexedByTheAdaptersBeforeMigrationsIsMigratedToTheLatestWithItsDataIntact() {
        // the previous state: what MongoWebhookStore and MongoDeliveryLog created on first use, plus data
        db.getCollection("webhooks")
                .createIndex(Indexes.ascending("tenant", "eventTypes"), new IndexOptions().name("tenant_eventTypes"));
        db.getCollection("deliveries")
                .createIndex(
                        Indexes.ascending("tenant", "webhookId", "at"), new IndexOptions().name("tenant_webhook_at"));
        db.getCollection("deliveries")
                .createIndex(
                        Indexes.ascending("tenant", "deliveryId", "outcome"),
                        new IndexOptions().name("tenant_delivery_outcome"));
        db.getCollection("webhooks")
                .insertOne(new Document("_id", "wh-1")
                        .append("tenant", "acme")
                        .append("url", "https://example.org/hook")
                        .append("eventTypes", List.of("run.completed"))
                        .append("createdAt", new Date()));
        db.getCollection("deliveries")
                .insertOne(new Document("_id", "d-1#1").append("tenant", "acme").append("outcome", "DELIVERED"));
        db.getCollection("github_secrets").insertOne(new Document("_id", "acme").append("current", "s3cret-value"));

        MongoMigrator migrator = migrator(MongoMigrator.MIGRATIONS);
        MigrationStatus status = migrator.migrate();

        assertThat(status.state()).as(status.reason()).isEqualTo(MigrationStatus.State.APPLIED);
        assertThat(status.version()).isEqualTo("V002");
        assertThat(migrator.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(migrator.call())).containsEntry("migrations", "applied").containsEntry("version", "V002");
        assertThat(indexNames("webhooks")).contains("tenant_eventTypes");
        assertThat(indexNames("deliveries")).contains("tenant_webhook_at", "tenant_delivery_outcome");
        assertThat(indexNames("github_repositories")).contains("tenant_repository");
        assertThat(db.getCollection("webhooks").find(Filters.eq("_id", "wh-1")).first())
                .containsEntry("url", "https://example.org/hook");
        assertThat(db.getCollection("deliveries").countDocuments()).isEqualTo(1);
        assertThat(db.getCollection("github_secrets").find().first()).containsEntry("current", "s3cret-value");
    }

    @Test
    void aStoreAtV001IsMigratedToV002KeepingItsData() {
        assertThat(migrator(MongoMigrator.MIGRATIONS.subList(0, 1)).migrate().version())
                .isEqualTo("V001");
        db.getCollection("webhooks").insertOne(new Document("_id", "wh-2").append("tenant", "acme"));

        MigrationStatus status = migrator(MongoMigrator.MIGRATIONS).migrate();

        assertThat(status.state()).isEqualTo(MigrationStatus.State.APPLIED);
        assertThat(status.version()).isEqualTo("V002");
        assertThat(db.getCollection(MongoMigrations.COLLECTION)
                        .find(Filters.exists("version"))
                        .map(d -> d.getString("_id"))
                        .into(new ArrayList<>()))
                .containsExactlyInAnyOrder("V001", "V002");
        assertThat(db.getCollection("webhooks").countDocuments(Filters.eq("_id", "wh-2")))
                .isEqualTo(1);
    }

    @Test
    void aStoreNewerThanTheCodeIsRefusedAndNotReadyWithTheReason() {
        List<MongoMigrations.Migration> newer = new ArrayList<>(MongoMigrator.MIGRATIONS);
        newer.add(new MongoMigrations.Migration(
                3, "a later release's index", List.of(index("webhooks", "later_index", List.of("url")))));
        assertThat(migrator(newer).migrate().version()).isEqualTo("V003");

        MongoMigrator older = migrator(MongoMigrator.MIGRATIONS);
        MigrationStatus status = older.migrate();

        assertThat(status.state()).isEqualTo(MigrationStatus.State.REFUSED);
        HealthCheckResponse health = older.call();
        assertThat(health.getName()).isEqualTo("mongodb-migrations");
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(data(health)).containsEntry("migrations", "refused").containsEntry("version", "V003");
        assertThat((String) data(health).get("error")).contains("V003 is unknown to this code", "V002");
    }

    @Test
    void aMigrationFailingHalfwayLeavesTheVersionUnchangedAndTheGatewayNotReady() {
        assertThat(migrator(MongoMigrator.MIGRATIONS).migrate().version()).isEqualTo("V002");
        List<MongoMigrations.Migration> broken = new ArrayList<>(MongoMigrator.MIGRATIONS);
        broken.add(new MongoMigrations.Migration(
                3,
                "an index, then a step that fails",
                List.of(index("webhooks", "first_half", List.of("url")), new MongoMigrations.Step() {
                    @Override
                    public String describe() {
                        return "fails";
                    }

                    @Override
                    public void apply(MongoDatabase database) {
                        throw new IllegalStateException("the second step broke");
                    }
                })));

        MongoMigrator migrator = migrator(broken);
        MigrationStatus status = migrator.migrate();

        assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
        assertThat(status.version()).isEqualTo("V002");
        HealthCheckResponse health = migrator.call();
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(data(health)).containsEntry("migrations", "failed").containsEntry("version", "V002");
        assertThat((String) data(health).get("error")).contains("V003", "the second step broke");
        assertThat(db.getCollection(MongoMigrations.COLLECTION).countDocuments(Filters.eq("_id", "V003")))
                .isZero();
        assertThat(db.getCollection(MongoMigrations.COLLECTION).countDocuments(Filters.eq("_id", "lock")))
                .as("the lock is released")
                .isZero();
    }

    @Test
    void anUnreachableMongoDbIsPendingAndKeepsTheGatewayReadyAsMongoDbDownAlwaysDid() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (MongoClient dead = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + closed))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(300, TimeUnit.MILLISECONDS))
                .build())) {
            MongoMigrator migrator =
                    new MongoMigrator(dead.getDatabase("devloop_gateway"), MongoMigrator.MIGRATIONS, LOCK_WAIT, RETRY);

            MigrationStatus status = migrator.migrate();

            assertThat(status.state()).isEqualTo(MigrationStatus.State.PENDING);
            HealthCheckResponse health = migrator.call();
            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
            assertThat(data(health)).containsEntry("migrations", "pending");
            assertThat((String) data(health).get("error")).contains("mongodb unreachable");
        }
    }

    private static MongoMigrations.Step index(String collection, String name, List<String> keys) {
        return MongoMigrations.index(collection, name, keys, false, false, null);
    }
}
