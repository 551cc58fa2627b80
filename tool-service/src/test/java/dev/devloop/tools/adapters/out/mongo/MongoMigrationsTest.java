package dev.devloop.tools.adapters.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoWriteException;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.bson.Document;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tool-service's own MongoDB migrations ({@link MongoMigrator#MIGRATIONS}) and its readiness check against the real
 * server, on fresh databases per test. The generic runner is tested in store-migrations' {@code MongoMigrationsTest}.
 */
class MongoMigrationsTest {
    private static final List<String> COLLECTIONS = List.of(
            "tools",
            "invocations",
            "audit",
            "activity",
            "mcp_servers",
            "forge_pull_requests",
            "forge_checks",
            "forge_issues");

    private MongoClient client;
    private MongoDatabase db;
    private final List<MongoDatabase> created = new ArrayList<>();

    @BeforeEach
    void freshDatabase() {
        client = MongoClients.create(System.getenv().getOrDefault("DEVLOOP_MONGO_URL", "mongodb://127.0.0.1:27017"));
        db = database();
    }

    @AfterEach
    void dropThem() {
        created.forEach(MongoDatabase::drop);
        client.close();
    }

    private MongoDatabase database() {
        MongoDatabase d = client.getDatabase(
                "devloop_test_tools_migrations_" + UUID.randomUUID().toString().substring(0, 8));
        created.add(d);
        return d;
    }

    private static MongoMigrator migrator(MongoDatabase database, List<MongoMigrations.Migration> migrations) {
        return new MongoMigrator(database, migrations, Duration.ofSeconds(20), Duration.ofSeconds(1));
    }

    private static MongoMigrator started(MongoDatabase database, List<MongoMigrations.Migration> migrations) {
        MongoMigrator m = migrator(database, migrations);
        m.start();
        return m;
    }

    /** The index creation ToolStore and ForgeRecords ran at every start before migrations existed, verbatim. */
    private static void indexTheOldWay(MongoDatabase d) {
        d.getCollection("tools")
                .createIndex(Indexes.ascending("tenant", "enabled"), new IndexOptions().name("tools_tenant"));
        d.getCollection("invocations")
                .createIndex(
                        Indexes.ascending("tenant", "runId", "idempotencyKey"),
                        new IndexOptions().unique(true).name("invocations_idempotency"));
        d.getCollection("audit")
                .createIndex(Indexes.ascending("tenant", "at"), new IndexOptions().name("audit_tenant_at"));
        d.getCollection("audit")
                .createIndex(Indexes.ascending("tenant", "runId"), new IndexOptions().name("audit_tenant_run"));
        d.getCollection("activity")
                .createIndex(
                        Indexes.ascending("tenant", "agentId", "at"), new IndexOptions().name("activity_tenant_agent"));
        d.getCollection("mcp_servers")
                .createIndex(Indexes.ascending("tenant", "name"), new IndexOptions().name("mcp_servers_tenant"));
        d.getCollection("forge_pull_requests")
                .createIndex(
                        Indexes.ascending("tenant", "repository", "head"),
                        new IndexOptions()
                                .name("forge_pr_open_head")
                                .unique(true)
                                .partialFilterExpression(Filters.eq("state", "open")));
        d.getCollection("forge_checks")
                .createIndex(
                        Indexes.ascending("tenant", "repository", "headSha", "name"),
                        new IndexOptions().name("forge_checks_head").unique(true));
        d.getCollection("forge_checks")
                .createIndex(
                        Indexes.ascending("status", "createdAt"), new IndexOptions().name("forge_checks_unfinished"));
        d.getCollection("forge_issues")
                .createIndex(
                        Indexes.ascending("tenant", "repository", "state"),
                        new IndexOptions().name("forge_issues_state"));
    }

    /** Per collection and index name: its keys, and whether it is unique and partial (what queries rely on). */
    private static Map<String, String> indexes(MongoDatabase d) {
        Map<String, String> found = new TreeMap<>();
        for (String c : COLLECTIONS) {
            d.getCollection(c)
                    .listIndexes()
                    .forEach(i -> found.put(
                            c + "." + i.getString("name"),
                            i.get("key", Document.class).keySet() + " unique=" + Boolean.TRUE.equals(i.get("unique"))
                                    + " partial=" + i.get("partialFilterExpression")));
        }
        return found;
    }

    private static Document openPull(String head, String state) {
        return new Document("_id", "acme/app/" + UUID.randomUUID())
                .append("tenant", "acme")
                .append("repository", "app")
                .append("head", head)
                .append("state", state);
    }

    private static Map<String, Object> data(HealthCheckResponse r) {
        return r.getData().orElseThrow();
    }

    @Test
    void aDatabaseIndexedTheOldWayIsMigratedWithTheSameIndexesAndItsDataIsKept() {
        indexTheOldWay(db);
        Map<String, String> before = indexes(db);
        db.getCollection("tools").insertOne(new Document("_id", "acme/diag_note").append("tenant", "acme"));
        db.getCollection("invocations")
                .insertOne(new Document("tenant", "acme").append("runId", "r-1").append("idempotencyKey", "k-1"));
        db.getCollection("forge_pull_requests").insertOne(openPull("feature/a", "open"));

        MongoMigrator migrator = started(db, MongoMigrator.MIGRATIONS);

        assertThat(migrator.status().state()).as(migrator.status().reason()).isEqualTo(MigrationStatus.State.APPLIED);
        assertThat(migrator.status().version()).isEqualTo("V001");
        assertThat(migrator.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(migrator.call())).containsEntry("migrations", "applied").containsEntry("version", "V001");
        assertThat(indexes(db)).isEqualTo(before);
        assertThat(db.getCollection("tools")
                        .find(Filters.eq("_id", "acme/diag_note"))
                        .first())
                .containsEntry("tenant", "acme");
        assertThat(db.getCollection("invocations").countDocuments()).isEqualTo(1);
        assertThatThrownBy(() -> db.getCollection("invocations")
                        .insertOne(new Document("tenant", "acme")
                                .append("runId", "r-1")
                                .append("idempotencyKey", "k-1")))
                .isInstanceOf(MongoWriteException.class);
        assertThatThrownBy(() -> db.getCollection("forge_pull_requests").insertOne(openPull("feature/a", "open")))
                .isInstanceOf(MongoWriteException.class);
        // (mongo-java-server enforces a partial unique index on every document, so only the recorded filter is read)
        assertThat(indexes(db).get("forge_pull_requests.forge_pr_open_head"))
                .isEqualTo("[tenant, repository, head] unique=true partial=Document{{state=open}}");
    }

    @Test
    void anEmptyDatabaseGetsExactlyTheIndexesTheOldStartCreated() {
        MongoDatabase old = database();
        indexTheOldWay(old);

        MongoMigrator migrator = started(db, MongoMigrator.MIGRATIONS);

        assertThat(migrator.status().state()).as(migrator.status().reason()).isEqualTo(MigrationStatus.State.APPLIED);
        assertThat(indexes(db)).isEqualTo(indexes(old)).containsKey("forge_pull_requests.forge_pr_open_head");
        assertThat(new MongoMigrations(db, MongoMigrator.MIGRATIONS, Duration.ofSeconds(1), Duration.ofMinutes(1), "t")
                        .applied())
                .extracting(d -> d.getString("_id"))
                .containsExactly("V001");
    }

    @Test
    void aDatabaseRecordingANewerVersionThanTheCodeIsRefusedAndNotReady() {
        assertThat(started(db, MongoMigrator.MIGRATIONS).status().ready()).isTrue();
        db.getCollection(MongoMigrations.COLLECTION)
                .insertOne(new Document("_id", "V002")
                        .append("version", 2)
                        .append("description", "from a newer tool-service")
                        .append("checksum", "feed")
                        .append("appliedAt", new Date()));

        MongoMigrator migrator = started(db, MongoMigrator.MIGRATIONS);

        assertThat(migrator.status().state()).isEqualTo(MigrationStatus.State.REFUSED);
        HealthCheckResponse health = migrator.call();
        assertThat(health.getName()).isEqualTo("mongodb-migrations");
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(data(health)).containsEntry("migrations", "refused").containsEntry("version", "V002");
        assertThat((String) data(health).get("error")).contains("V002 is unknown to this code (it knows up to V001)");
    }

    @Test
    void aMigrationFailingHalfwayLeavesTheVersionUnchangedAndTheServiceNotReady() {
        List<MongoMigrations.Migration> broken = new ArrayList<>(MongoMigrator.MIGRATIONS);
        broken.add(new MongoMigrations.Migration(
                2,
                "audit by tool, then a step that fails",
                List.of(
                        MongoMigrations.index(
                                "audit", "audit_tenant_tool", List.of("tenant", "toolId"), false, false, null),
                        new MongoMigrations.Step() {
                            @Override
                            public String describe() {
                                return "fails";
                            }

                            @Override
                            public void apply(MongoDatabase database) {
                                throw new IllegalStateException("disk full");
                            }
                        })));

        MongoMigrator migrator = started(db, broken);

        assertThat(migrator.status().state()).isEqualTo(MigrationStatus.State.FAILED);
        assertThat(migrator.status().version()).isEqualTo("V001");
        HealthCheckResponse health = migrator.call();
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(data(health)).containsEntry("migrations", "failed").containsEntry("version", "V001");
        assertThat((String) data(health).get("error")).contains("V002").contains("disk full");
        assertThat(db.getCollection(MongoMigrations.COLLECTION)
                        .find(Filters.exists("version"))
                        .map(d -> d.getString("_id"))
                        .into(new ArrayList<>()))
                .containsExactly("V001");
        assertThat(started(db, MongoMigrator.MIGRATIONS).status().ready()).isTrue();
    }
}
