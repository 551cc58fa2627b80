package dev.devloop.knowledge.adapters.out.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.knowledge.ports.out.TierUnavailableException;
import dev.devloop.migrations.MigrationStatus;
import dev.devloop.migrations.StoreMigrator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
        return Neo4jMigrations.standard(driver, DIMENSIONS, 1000, Duration.ofSeconds(30), "test");
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
        assertThat(latest.version()).isEqualTo(V004__EmbeddingModelIds.VERSION);
        assertThat(standard().appliedVersions()).containsExactly("001", "002", "003", "004");
        assertThat(count("MATCH (p:MigrationProbe {id: 'kept', note: 'written at V001'}) RETURN count(p)"))
                .isEqualTo(1);
        assertThat(count(
                        "SHOW INDEXES YIELD name WHERE name IN ['devloop_entity_key', 'devloop_shared_chunk_embedding', "
                                + "'devloop_shared_entity_embedding', 'devloop_chunk_fulltext', 'devloop_shared_route'] "
                                + "RETURN count(*)"))
                .isEqualTo(5);
        assertThat(count(
                        "SHOW INDEXES YIELD name WHERE name IN ['devloop_chunk_embedding', 'devloop_entity_embedding'] "
                                + "RETURN count(*)"))
                .as("V002's shared indexes on every chunk and entity, dropped by V003")
                .isZero();
        // a second start is a no-op at the same version
        assertThat(standard().migrate(m -> {}).version()).isEqualTo("004");
        assertThat(count("MATCH (m:__Neo4jMigration) WHERE m.version <> 'BASELINE' RETURN count(m)"))
                .isEqualTo(4);
    }

    /**
     * A store from the previous version (V002: the shared vector indexes on every chunk and entity): V003 routes to the
     * new shared indexes exactly the tenants that need them (at or above the threshold without an own index), drops
     * the old indexes, and its steps run again on the migrated store change nothing. The threshold is set above every
     * tenant already in the shared test database, so only this test's tenants qualify.
     */
    @Test
    void aStoreFromThePreviousVersionRoutesOnlyItsCappedTenantsToTheNewSharedIndexes() {
        Neo4jMigrations previous = new Neo4jMigrations(
                driver,
                List.of(Neo4jMigrations.LOCATION),
                List.of(new V002__VectorIndexes(DIMENSIONS)),
                Duration.ofSeconds(30),
                "test");
        assertThat(previous.migrate(m -> {}).version()).isEqualTo("002");
        assertThat(count(
                        "SHOW INDEXES YIELD name WHERE name IN ['devloop_chunk_embedding', 'devloop_entity_embedding'] "
                                + "RETURN count(*)"))
                .isEqualTo(2);
        int threshold = 1
                + (int) Math.max(
                        4,
                        Math.max(
                                count("MATCH (c:Chunk) WITH c.tenant AS t, count(*) AS n RETURN coalesce(max(n), 0)"),
                                count("MATCH (e:Entity) WHERE e.type IS NOT NULL WITH e.tenant AS t, count(*) AS n "
                                        + "RETURN coalesce(max(n), 0)")));
        String run = UUID.randomUUID().toString();
        String capped = "migration-capped-" + run;
        String small = "migration-small-" + run;
        String owned = "migration-owned-" + run;
        String ownedIndex = Neo4jTenantVectors.indexName(Neo4jTenantVectors.Kind.CHUNK, owned);
        try {
            legacyChunks(capped, threshold);
            legacyChunks(small, 2);
            legacyChunks(owned, threshold);
            run("CREATE VECTOR INDEX `" + ownedIndex + "` FOR (x:"
                    + Neo4jTenantVectors.label(Neo4jTenantVectors.Kind.CHUNK, owned)
                    + ") ON (x.embedding) OPTIONS {indexConfig: {`vector.dimensions`: " + DIMENSIONS
                    + ", `vector.similarity_function`: 'cosine'}}");
            try (Session s = driver.session()) {
                s.run(
                                "UNWIND range(1, $n) AS i CREATE (:Entity:"
                                        + Neo4jTenantVectors.label(Neo4jTenantVectors.Kind.ENTITY, capped)
                                        + " {tenant: $t, id: 'e' + i, type: 'thing', properties: '{}', "
                                        + "embedding: [x IN range(1, $d) | 1.0 / (x + i)]})",
                                Map.of("t", capped, "n", threshold, "d", DIMENSIONS))
                        .consume();
            }
            Neo4jMigrations next = new Neo4jMigrations(
                    driver,
                    List.of(Neo4jMigrations.LOCATION),
                    List.of(new V002__VectorIndexes(DIMENSIONS), new V003__SharedVectorIndexes(DIMENSIONS, threshold)),
                    Duration.ofSeconds(30),
                    "test");

            MigrationStatus migrated = next.migrate(m -> {});

            assertThat(migrated.state()).as(migrated.reason()).isEqualTo(MigrationStatus.State.APPLIED);
            assertThat(migrated.version()).isEqualTo("003");
            assertRoutedOnlyTheCappedTenant(capped, small, owned, threshold);
            assertThat(count("SHOW INDEXES YIELD name WHERE name IN ['devloop_chunk_embedding', "
                            + "'devloop_entity_embedding'] RETURN count(*)"))
                    .isZero();
            assertThat(count("SHOW VECTOR INDEXES YIELD name, labelsOrTypes WHERE name IN "
                            + "['devloop_shared_chunk_embedding', 'devloop_shared_entity_embedding'] "
                            + "AND labelsOrTypes IN [['SharedChunk'], ['SharedEntity']] RETURN count(*)"))
                    .isEqualTo(2);

            // idempotent: the chain set back to 002, V003's steps run again on the migrated store
            run("MATCH (m:__Neo4jMigration {version: '003'}) DETACH DELETE m");
            assertThat(next.migrate(m -> {}).version()).isEqualTo("003");
            assertRoutedOnlyTheCappedTenant(capped, small, owned, threshold);
        } finally {
            try (Session s = driver.session()) {
                s.run("MATCH (n) WHERE n.tenant IN $t DETACH DELETE n", Map.of("t", List.of(capped, small, owned)))
                        .consume();
            }
            run("DROP INDEX `" + ownedIndex + "` IF EXISTS");
        }
    }

    private void assertRoutedOnlyTheCappedTenant(String capped, String small, String owned, int threshold) {
        assertThat(count("MATCH (c:Chunk:SharedChunk) WHERE c.tenant = '" + capped + "' RETURN count(c)"))
                .isEqualTo(threshold);
        assertThat(count("MATCH (e:Entity:SharedEntity) WHERE e.tenant = '" + capped + "' RETURN count(e)"))
                .isEqualTo(threshold);
        assertThat(count("MATCH (m:SharedVectorRoute) WHERE m.tenant = '" + capped + "' RETURN count(m)"))
                .as("one marker per kind")
                .isEqualTo(2);
        assertThat(count("MATCH (c:SharedChunk) WHERE c.tenant IN ['" + small + "', '" + owned + "'] RETURN count(c)"))
                .as("a small tenant and one with its own index stay out of the shared index")
                .isZero();
        assertThat(count("MATCH (m:SharedVectorRoute) WHERE m.tenant IN ['" + small + "', '" + owned
                        + "'] RETURN count(m)"))
                .isZero();
    }

    /** Chunks as the previous version wrote them: {@code Chunk} and the tenant label, the vector on {@code embedding}. */
    private void legacyChunks(String tenant, int n) {
        try (Session s = driver.session()) {
            s.run(
                            "UNWIND range(1, $n) AS i CREATE (:Chunk:"
                                    + Neo4jTenantVectors.label(Neo4jTenantVectors.Kind.CHUNK, tenant)
                                    + " {tenant: $t, documentId: 'd', index: i, text: 'x', "
                                    + "embedding: [x IN range(1, $d) | 1.0 / (x + i)]})",
                            Map.of("t", tenant, "n", n, "d", DIMENSIONS))
                    .consume();
        }
    }

    /**
     * V004 on a store from V003: vectors without a model id are tagged with the store's old model (for
     * {@code provider=local} always the fp32 one, whatever model this start runs), vectors already tagged keep their
     * id, nodes without a vector get none, and nothing is deleted.
     */
    @Test
    void anUpgradeTagsUntaggedVectorsWithTheStoresOldModelAndKeepsTaggedOnes() {
        Neo4jMigrations previous = new Neo4jMigrations(
                driver,
                List.of(Neo4jMigrations.LOCATION),
                List.of(new V002__VectorIndexes(DIMENSIONS), new V003__SharedVectorIndexes(DIMENSIONS, 1000)),
                Duration.ofSeconds(30),
                "test");
        assertThat(previous.migrate(m -> {}).version()).isEqualTo("003");
        String tenant = "migration-models-" + UUID.randomUUID();
        try {
            legacyChunks(tenant, 3);
            try (Session s = driver.session()) {
                s.run(
                                "CREATE (:Chunk {tenant: $t, documentId: 'q', index: 0, text: 'x', embedding: [1.0, 0.0], "
                                        + "embeddingModel: 'all-minilm-l6-v2-q'}), "
                                        + "(:Chunk {tenant: $t, documentId: 'novector', index: 0, text: 'x'}), "
                                        + "(:Entity {tenant: $t, id: 'e', type: 'thing', properties: '{}', embedding: [1.0, 0.0]})",
                                Map.of("t", tenant))
                        .consume();
            }

            MigrationStatus status = Neo4jMigrations.standard(
                            driver, DIMENSIONS, 1000, Duration.ofSeconds(30), "test", "all-minilm-l6-v2")
                    .migrate(m -> {});

            assertThat(status.version()).as(status.reason()).isEqualTo(V004__EmbeddingModelIds.VERSION);
            assertThat(count("MATCH (c:Chunk {tenant: '" + tenant + "', documentId: 'd'}) "
                            + "WHERE c.embeddingModel = 'all-minilm-l6-v2' RETURN count(c)"))
                    .isEqualTo(3);
            assertThat(count("MATCH (c:Chunk {tenant: '" + tenant + "', documentId: 'q'}) "
                            + "WHERE c.embeddingModel = 'all-minilm-l6-v2-q' RETURN count(c)"))
                    .as("an int8 vector is not re-tagged as fp32")
                    .isEqualTo(1);
            assertThat(count("MATCH (c:Chunk {tenant: '" + tenant + "', documentId: 'novector'}) "
                            + "WHERE c.embeddingModel IS NULL RETURN count(c)"))
                    .isEqualTo(1);
            assertThat(count("MATCH (e:Entity {tenant: '" + tenant + "', id: 'e'}) "
                            + "WHERE e.embeddingModel = 'all-minilm-l6-v2' RETURN count(e)"))
                    .isEqualTo(1);
            assertThat(count("MATCH (x {tenant: '" + tenant + "'}) RETURN count(x)"))
                    .isEqualTo(6);
        } finally {
            try (Session s = driver.session()) {
                s.run("MATCH (n) WHERE n.tenant = $t DETACH DELETE n", Map.of("t", tenant))
                        .consume();
            }
        }
    }

    @Test
    void aMigrationFailingHalfwayLeavesTheVersionAndTheServiceNotReady() {
        Neo4jMigrations withBroken = new Neo4jMigrations(
                driver,
                List.of(Neo4jMigrations.LOCATION, "classpath:neo4j/test-migrations/failing"),
                List.of(new V002__VectorIndexes(DIMENSIONS), new V003__SharedVectorIndexes(DIMENSIONS, 1000)),
                Duration.ofSeconds(30),
                "test");
        StoreMigrator migrator = new StoreMigrator("neo4j", () -> withBroken.migrate(m -> {}), Duration.ofSeconds(1));

        migrator.start();

        MigrationStatus status = migrator.status();
        assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
        assertThat(status.version()).as(status.reason()).isEqualTo("003");
        assertThat(status.reason()).contains("neo4j migration failed").containsIgnoringCase("broken");
        assertThat(standard().appliedVersions()).containsExactly("001", "002", "003");
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
                "MATCH (last:__Neo4jMigration {version: '004'}) CREATE (last)-[:MIGRATED_TO {at: datetime(), in: duration('PT1S'), by: 'newer-code', connectedAs: 'neo4j'}]->"
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
                assertThat(r.get().version()).isEqualTo("004");
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
            assertThat(perVersion)
                    .containsExactlyInAnyOrderEntriesOf(Map.of("001", 1L, "002", 1L, "003", 1L, "004", 1L));
        }
        assertThat(count("MATCH (l:__Neo4jMigrationsLock) RETURN count(l)")).isZero();
    }
}
