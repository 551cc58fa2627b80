package dev.devloop.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generic MongoDB migration runner and the start-time migrator against the real server
 * ({@code DEVLOOP_MONGO_URL}, default {@code mongodb://127.0.0.1:27017}), on a fresh database per test that is dropped
 * afterwards. The services test only their own migration lists.
 */
class MongoMigrationsTest {
    private MongoClient client;
    private MongoDatabase db;

    @BeforeEach
    void freshDatabase() {
        client = MongoClients.create(System.getenv().getOrDefault("DEVLOOP_MONGO_URL", "mongodb://127.0.0.1:27017"));
        db = client.getDatabase(
                "devloop_test_store_migrations_" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterEach
    void dropIt() {
        db.drop();
        client.close();
    }

    private static final MongoMigrations.Migration V1 = new MongoMigrations.Migration(
            1,
            "items by key",
            List.of(
                    MongoMigrations.index("items", "item_key", List.of("tenant", "key"), true, false, null),
                    MongoMigrations.index("items", "item_ttl", List.of("expiresAt"), false, true, 0L)));
    private static final MongoMigrations.Migration V2 = new MongoMigrations.Migration(
            2,
            "items by owner",
            List.of(MongoMigrations.index("items", "item_owner", List.of("tenant", "owner"), false, false, null)));

    private MongoMigrations runner(List<MongoMigrations.Migration> migrations) {
        return new MongoMigrations(db, migrations, Duration.ofSeconds(20), Duration.ofMinutes(1), "test");
    }

    private static MongoMigrations.Step step(String name, Runnable work) {
        return new MongoMigrations.Step() {
            @Override
            public String describe() {
                return name;
            }

            @Override
            public void apply(MongoDatabase database) {
                work.run();
            }
        };
    }

    private List<String> indexNames(String collection) {
        List<String> names = new ArrayList<>();
        db.getCollection(collection).listIndexes().forEach(d -> names.add(d.getString("name")));
        return names;
    }

    @Test
    void aStoreAtAnOlderVersionIsMigratedToTheLatestAndItsDataIsKept() {
        assertThat(runner(List.of(V1)).migrate(m -> {}).version()).isEqualTo("V001");
        db.getCollection("items")
                .insertOne(new Document("tenant", "acme").append("key", "k").append("owner", "o"));
        List<String> logged = new ArrayList<>();

        MigrationStatus status = runner(List.of(V1, V2)).migrate(logged::add);

        assertThat(status.state()).isEqualTo(MigrationStatus.State.APPLIED);
        assertThat(status.version()).isEqualTo("V002");
        assertThat(runner(List.of(V1, V2)).applied())
                .extracting(d -> d.getString("_id"))
                .containsExactly("V001", "V002");
        assertThat(indexNames("items")).contains("item_key", "item_ttl", "item_owner");
        assertThat(db.getCollection("items").find(Filters.eq("key", "k")).first())
                .containsEntry("owner", "o");
        assertThat(String.join("\n", logged)).contains("V002");
        // a second run finds nothing to do and stays at the latest version
        assertThat(runner(List.of(V1, V2)).migrate(m -> {}))
                .extracting(MigrationStatus::state, MigrationStatus::version)
                .containsExactly(MigrationStatus.State.APPLIED, "V002");
    }

    @Test
    void aCurrentStoreIsCheckedWithOneReadAndNoLock() {
        runner(List.of(V1, V2)).migrate(m -> {});
        List<String> commands = new CopyOnWriteArrayList<>();
        CommandListener listener = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                if (event.getDatabaseName().equals(db.getName())) {
                    commands.add(event.getCommandName());
                }
            }
        };
        String url = System.getenv().getOrDefault("DEVLOOP_MONGO_URL", "mongodb://127.0.0.1:27017");
        try (MongoClient watched = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(url))
                .addCommandListener(listener)
                .build())) {
            MongoMigrations again = new MongoMigrations(
                    watched.getDatabase(db.getName()),
                    List.of(V1, V2),
                    Duration.ofSeconds(20),
                    Duration.ofMinutes(1),
                    "test");

            MigrationStatus status = again.migrate(m -> {});

            assertThat(status.state()).isEqualTo(MigrationStatus.State.APPLIED);
            assertThat(status.version()).isEqualTo("V002");
        }
        // every start of a service whose store is current: one find of the records, no lock taken (it was 3 finds)
        assertThat(commands).containsExactly("find");
    }

    @Test
    void aMigrationFailingHalfwayLeavesTheVersionAndTheStoreNotReady() {
        runner(List.of(V1)).migrate(m -> {});
        List<MongoMigrations.Migration> broken = List.of(
                V1,
                new MongoMigrations.Migration(
                        2,
                        "half done",
                        List.of(
                                MongoMigrations.index(
                                        "items", "item_owner", List.of("tenant", "owner"), false, false, null),
                                step("boom", () -> {
                                    throw new IllegalStateException("second step failed");
                                }))));
        StoreMigrator migrator =
                new StoreMigrator("mongodb", () -> runner(broken).migrate(m -> {}), Duration.ofSeconds(1));

        migrator.start();

        MigrationStatus status = migrator.status();
        assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
        assertThat(status.ready()).isFalse();
        assertThat(status.version()).isEqualTo("V001");
        assertThat(status.reason()).contains("V002").contains("second step failed");
        assertThat(runner(broken).applied()).extracting(d -> d.getString("_id")).containsExactly("V001");
        assertThat(db.getCollection(MongoMigrations.COLLECTION).countDocuments(Filters.eq("_id", "lock")))
                .isZero();
        assertThatThrownBy(() -> migrator.ensureMigrated(reason -> new IllegalStateException("503: " + reason)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("503: " + status.reason());
        migrator.stop();
    }

    @Test
    void aMigratedStoreLetsTheAdaptersThrough() {
        StoreMigrator migrator =
                new StoreMigrator("mongodb", () -> runner(List.of(V1)).migrate(m -> {}), Duration.ofSeconds(1));

        migrator.start();

        assertThat(migrator.status().ready()).isTrue();
        migrator.ensureMigrated(reason -> new IllegalStateException("not migrated: " + reason));
        assertThat(indexNames("items")).contains("item_key");
        migrator.stop();
    }

    @Test
    void aStoreNewerThanTheCodeIsRefused() {
        runner(List.of(V1, V2)).migrate(m -> {});

        MigrationStatus status = runner(List.of(V1)).migrate(m -> {});

        assertThat(status.state()).isEqualTo(MigrationStatus.State.REFUSED);
        assertThat(status.version()).isEqualTo("V002");
        assertThat(status.reason()).contains("V002 is unknown to this code").contains("knows up to V001");
    }

    @Test
    void aChangedMigrationIsRefused() {
        runner(List.of(new MongoMigrations.Migration(1, "first", List.of(step("a", () -> {})))))
                .migrate(m -> {});

        MigrationStatus status = runner(
                        List.of(new MongoMigrations.Migration(1, "first", List.of(step("b", () -> {})))))
                .migrate(m -> {});

        assertThat(status.state()).isEqualTo(MigrationStatus.State.REFUSED);
        assertThat(status.reason()).contains("V001 was applied with another checksum");
    }

    @Test
    void twoRunnersAtOnceApplyEachMigrationOnce() throws Exception {
        AtomicInteger applied = new AtomicInteger();
        List<MongoMigrations.Migration> slow =
                List.of(new MongoMigrations.Migration(1, "slow", List.of(step("count and wait", () -> {
                    applied.incrementAndGet();
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }))));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<MigrationStatus> run = () -> runner(slow).migrate(m -> {});
            for (Future<MigrationStatus> r : pool.invokeAll(List.of(run, run))) {
                assertThat(r.get().state()).isEqualTo(MigrationStatus.State.APPLIED);
                assertThat(r.get().version()).isEqualTo("V001");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(applied).hasValue(1);
        assertThat(db.getCollection(MongoMigrations.COLLECTION).countDocuments(Filters.eq("_id", "V001")))
                .isEqualTo(1);
    }

    @Test
    void anExpiredLockOfACrashedRunnerIsTakenOver() {
        db.getCollection(MongoMigrations.COLLECTION)
                .insertOne(
                        new Document("_id", "lock").append("owner", "crashed").append("expiresAt", new Date(0)));

        MigrationStatus status = runner(List.of(V1)).migrate(m -> {});

        assertThat(status.state()).isEqualTo(MigrationStatus.State.APPLIED);
        assertThat(db.getCollection(MongoMigrations.COLLECTION).countDocuments(Filters.eq("_id", "lock")))
                .isZero();
    }

    @Test
    void aHeldLockIsWaitedForThenRefused() {
        db.getCollection(MongoMigrations.COLLECTION)
                .insertOne(new Document("_id", "lock")
                        .append("owner", "other")
                        .append("expiresAt", new Date(System.currentTimeMillis() + 600_000)));
        MongoMigrations impatient =
                new MongoMigrations(db, List.of(V1), Duration.ofMillis(600), Duration.ofMinutes(1), "test");

        MigrationStatus status = impatient.migrate(m -> {});

        assertThat(status.state()).isEqualTo(MigrationStatus.State.REFUSED);
        assertThat(status.reason()).contains("lock");
        assertThat(impatient.applied()).isEmpty();
    }
}
