package dev.devloop.knowledge.adapters.out.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.knowledge.ports.out.TierUnavailableException;
import dev.devloop.migrations.MigrationStatus;
import dev.devloop.migrations.StoreMigrator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;

/**
 * neo4j-migrations against the real Neo4j. Community has one database, shared with the other tests, so each test
 * starts from an empty migration chain ({@code __Neo4jMigration} nodes only; the schema itself is idempotent and
 * stays) and the chain is rebuilt with the production set afterwards, as the running service expects it.
 */
class Neo4jMigrationsTest {
    private static final int DIMENSIONS = 384;
    private static Driver driver;

    @BeforeAll
    static void connect() {
        driver = GraphDatabase.driver(
                System.getProperty("devloop.test.neo4j", "bolt://127.0.0.1:7687"),
                AuthTokens.basic("neo4j", System.getenv().getOrDefault("DEVLOOP_NEO4J_PASSWORD", "devloop-dev")));
    }

    @AfterAll
    static void close() {
        driver.close();
    }

    @BeforeEach
    void emptyChain() {
        run("MATCH (n) WHERE n:__Neo4jMigration OR n:__Neo4jMigrationsLock OR n:MigrationProbe DETACH DELETE n");
    }

    @AfterEach
    void restoreChain() {
        emptyChain();
        assertThat(standard().migrate(m -> {}).state()).isEqualTo(MigrationStatus.State.APPLIED);
    }

    private Neo4jMigrations standard() {
        return Neo4jMigrations.standard(driver, DIMENSIONS, Duration.ofSeconds(30), "test");
    }

    private void run(String cypher) {
        try (Session s = driver.session()) {
            s.run(cypher).consume();
        }
    }

    private long count(String cypher) {
        try (Session s = driver.session()) {
            return s.run(cypher).single().get(0).asLong();
        }
    }

    @Test
    void aStoreAtTheFirstVersionIsMigratedToTheLatestAndItsDataIsKept() {
        Neo4jMigrations firstOnly = new Neo4jMigrations(
                driver, List.of(Neo4jMigrations.LOCATION), List.of(), Duration.ofSeconds(30), "test");
        MigrationStatus v1 = firstOnly.migrate(m -> {});
        assertThat(v1.state()).isEqualTo(MigrationStatus.State.APPLIED);
        assertThat(v1.version()).isEqualTo("001");
        run("CREATE (:MigrationProbe {id: 'kept', tenant: 'migrations-test', note: 'written at V001'})");

        MigrationStatus latest = standard().migrate(m -> {});

        assertThat(latest.state()).isEqualTo(MigrationStatus.State.APPLIED);
        assertThat(latest.version()).isEqualTo(V002__VectorIndexes.VERSION);
        assertThat(standard().appliedVersions()).containsExactly("001", "002");
        assertThat(count("MATCH (p:MigrationProbe {id: 'kept', note: 'written at V001'}) RETURN count(p)"))
                .isEqualTo(1);
        assertThat(count("SHOW INDEXES YIELD name WHERE name IN ['devloop_entity_key', 'devloop_chunk_embedding', "
                        + "'devloop_entity_embedding', 'devloop_chunk_fulltext'] RETURN count(*)"))
                .isEqualTo(4);
        // a second start is a no-op at the same version
        assertThat(standard().migrate(m -> {}).version()).isEqualTo("002");
        assertThat(count("MATCH (m:__Neo4jMigration) WHERE m.version <> 'BASELINE' RETURN count(m)"))
                .isEqualTo(2);
    }

    @Test
    void aMigrationFailingHalfwayLeavesTheVersionAndTheServiceNotReady() {
        Neo4jMigrations withBroken = new Neo4jMigrations(
                driver,
                List.of(Neo4jMigrations.LOCATION, "classpath:neo4j/test-migrations/failing"),
                List.of(new V002__VectorIndexes(DIMENSIONS)),
                Duration.ofSeconds(30),
                "test");
        StoreMigrator migrator = new StoreMigrator("neo4j", () -> withBroken.migrate(m -> {}), Duration.ofSeconds(1));

        migrator.start();

        MigrationStatus status = migrator.status();
        assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
        assertThat(status.version()).isEqualTo("002");
        assertThat(status.reason()).contains("neo4j migration failed").containsIgnoringCase("broken");
        assertThat(standard().appliedVersions()).containsExactly("001", "002");
        // the whole migration rolled back: its first statement left nothing
        assertThat(count("MATCH (p:MigrationProbe {id: 'half-done'}) RETURN count(p)"))
                .isZero();
        assertThatThrownBy(() -> migrator.ensureMigrated(
                        reason -> new TierUnavailableException("store", new IllegalStateException(reason))))
                .isInstanceOf(TierUnavailableException.class)
                .hasRootCauseMessage(status.reason());
        migrator.stop();
    }

    @Test
    void aDatabaseNewerThanTheCodeIsRefused() {
        assertThat(standard().migrate(m -> {}).state()).isEqualTo(MigrationStatus.State.APPLIED);
        run(
                "MATCH (last:__Neo4jMigration {version: '002'}) CREATE (last)-[:MIGRATED_TO {at: datetime(), in: duration('PT1S'), by: 'newer-code', connectedAs: 'neo4j'}]->"
                        + "(:__Neo4jMigration {version: '999', description: 'from newer code', type: 'CYPHER', "
                        + "checksum: '1', source: 'V999__future.cypher', repeatable: false})");

        MigrationStatus status = standard().migrate(m -> {});

        assertThat(status.state()).as(status.reason()).isEqualTo(MigrationStatus.State.REFUSED);
        assertThat(status.version()).isEqualTo("999");
        assertThat(status.reason()).contains("newer than the code").contains("999");
        assertThat(status.ready()).isFalse();
    }

    @Test
    void twoRunnersAtOnceApplyEachMigrationOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<MigrationStatus> runner = () -> standard().migrate(m -> {});
            List<Future<MigrationStatus>> results = pool.invokeAll(List.of(runner, runner));
            for (Future<MigrationStatus> r : results) {
                assertThat(r.get().state()).isEqualTo(MigrationStatus.State.APPLIED);
                assertThat(r.get().version()).isEqualTo("002");
            }
        } finally {
            pool.shutdownNow();
        }
        try (Session s = driver.session()) {
            Map<String, Long> perVersion = s
                    .run("MATCH (m:__Neo4jMigration) WHERE m.version <> 'BASELINE' "
                            + "RETURN m.version AS v, count(*) AS n")
                    .list()
                    .stream()
                    .collect(java.util.stream.Collectors.toMap(
                            r -> r.get("v").asString(), r -> r.get("n").asLong()));
            assertThat(perVersion).containsExactlyInAnyOrderEntriesOf(Map.of("001", 1L, "002", 1L));
        }
        assertThat(count("MATCH (l:__Neo4jMigrationsLock) RETURN count(l)")).isZero();
    }
}
