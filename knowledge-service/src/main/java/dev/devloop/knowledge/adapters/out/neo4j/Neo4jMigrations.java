package dev.devloop.knowledge.adapters.out.neo4j;

import ac.simons.neo4j.migrations.core.JavaBasedMigration;
import ac.simons.neo4j.migrations.core.MigrationVersion;
import ac.simons.neo4j.migrations.core.Migrations;
import ac.simons.neo4j.migrations.core.MigrationsConfig;
import ac.simons.neo4j.migrations.core.MigrationsException;
import ac.simons.neo4j.migrations.core.ValidationResult;
import dev.devloop.knowledge.ports.out.EmbeddingModels;
import dev.devloop.migrations.MigrationStatus;
import dev.devloop.migrations.StoreMigrator;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;

/**
 * Applies knowledge-service's versioned Neo4j migrations with neo4j-migrations: the Cypher scripts under
 * {@code classpath:neo4j/migrations} ({@code V001__schema.cypher}, …) and the Java ones given (V002 vector indexes, V003 shared vector indexes on labels of their own, V004 embedding model ids).
 * The library records each applied version in the {@code (:__Neo4jMigration)} chain and holds a
 * {@code (:__Neo4jMigrationsLock)} node while it works; a runner that finds the lock taken waits (polling) up to
 * {@code lockWait} and then gives up, REFUSED. A database recording a version this code does not know is REFUSED
 * before anything runs; a failing migration leaves the chain at the last good version, FAILED, with the reason.
 * Plain Java (no CDI) so that tests can run several against one database.
 */
public final class Neo4jMigrations {
    /** Where the Cypher migrations live (classpath). */
    public static final String LOCATION = "classpath:neo4j/migrations";

    private static final long LOCK_POLL_MILLIS = 500;

    private final Driver driver;
    private final List<String> locations;
    private final List<JavaBasedMigration> javaMigrations;
    private final Duration lockWait;
    private final String installedBy;

    public Neo4jMigrations(
            Driver driver,
            List<String> locations,
            List<JavaBasedMigration> javaMigrations,
            Duration lockWait,
            String installedBy) {
        this.driver = driver;
        this.locations = List.copyOf(locations);
        this.javaMigrations = List.copyOf(javaMigrations);
        this.lockWait = lockWait;
        this.installedBy = installedBy;
    }

    /**
     * The production set: the scripts of {@link #LOCATION}, V002 for the given embedding dimensions, V003 (shared
     * vector indexes on labels of their own; {@code exactScanBelow}: which tenants it routes to them) and V004 (model
     * ids), untagged vectors taken as the fp32 {@code all-minilm-l6-v2}'s.
     */
    public static Neo4jMigrations standard(
            Driver driver, int dimensions, int exactScanBelow, Duration lockWait, String installedBy) {
        return standard(driver, dimensions, exactScanBelow, lockWait, installedBy, EmbeddingModels.FP32);
    }

    /**
     * The production set with V004 tagging untagged vectors with {@code untaggedModel} (the model id of the store's
     * backend before model ids existed; see {@link V004__EmbeddingModelIds}).
     */
    public static Neo4jMigrations standard(
            Driver driver,
            int dimensions,
            int exactScanBelow,
            Duration lockWait,
            String installedBy,
            String untaggedModel) {
        return new Neo4jMigrations(
                driver,
                List.of(LOCATION),
                List.of(
                        new V002__VectorIndexes(dimensions),
                        new V003__SharedVectorIndexes(dimensions, exactScanBelow),
                        new V004__EmbeddingModelIds(untaggedModel)),
                lockWait,
                installedBy);
    }

    private Migrations migrations() {
        MigrationsConfig config = MigrationsConfig.builder()
                .withLocationsToScan(locations.toArray(String[]::new))
                .withPackagesToScan()
                .withResourceScanner(new DirectoryResourceScanner(Neo4jMigrations.class.getClassLoader()))
                .withMigrationClassesDiscoverer(context -> javaMigrations)
                .withTransactionMode(MigrationsConfig.TransactionMode.PER_MIGRATION)
                .withInstalledBy(installedBy)
                .withValidateOnMigrate(true)
                .build();
        return new Migrations(config, driver);
    }

    /**
     * Brings the database to the latest version. Throws {@link StoreMigrator.Unreachable} when Neo4j cannot be reached (the
     * caller retries later); every other outcome is the returned status.
     */
    public MigrationStatus migrate(Consumer<String> log) {
        Migrations migrations = migrations();
        long deadline = System.nanoTime() + lockWait.toNanos();
        while (true) {
            try {
                ValidationResult validation = migrations.validate(false);
                if (validation.getOutcome() == ValidationResult.Outcome.INCOMPLETE_MIGRATIONS
                        || validation.getOutcome() == ValidationResult.Outcome.DIFFERENT_CONTENT) {
                    List<String> applied = appliedVersions();
                    return new MigrationStatus(
                            MigrationStatus.State.REFUSED,
                            last(applied),
                            "neo4j holds migrations this code does not know or with other content ("
                                    + validation.getOutcome()
                                    + "; applied: " + String.join(", ", applied)
                                    + "): the database is newer than the code; deploy "
                                    + "the newer code or restore a backup that matches it");
                }
                var applied = migrations.apply(false);
                String version = applied.map(MigrationVersion::getValue).orElseGet(() -> last(appliedVersions()));
                log.accept("neo4j migrations applied; database at version " + version);
                return new MigrationStatus(MigrationStatus.State.APPLIED, version, "");
            } catch (ServiceUnavailableException | SessionExpiredException | AuthenticationException e) {
                throw new StoreMigrator.Unreachable("neo4j unreachable: " + e.getMessage(), e);
            } catch (MigrationsException e) {
                if (unavailable(e)) {
                    throw new StoreMigrator.Unreachable("neo4j unreachable: " + e.getMessage(), e);
                }
                if (newer(e)) {
                    List<String> applied = appliedVersions();
                    return new MigrationStatus(
                            MigrationStatus.State.REFUSED,
                            last(applied),
                            "neo4j holds migrations this code does not know or with other content (" + describe(e)
                                    + "; applied: "
                                    + String.join(", ", applied)
                                    + "): the database is newer than the code; deploy the newer code or "
                                    + "restore a backup that matches it");
                }
                if (locked(e)) {
                    if (System.nanoTime() > deadline) {
                        return new MigrationStatus(
                                MigrationStatus.State.REFUSED,
                                latestAppliedQuietly(),
                                "neo4j migration lock (:__Neo4jMigrationsLock) still held after " + lockWait.toSeconds()
                                        + " s: another instance is migrating, or one died holding it (then delete that node)");
                    }
                    sleep();
                    continue;
                }
                return new MigrationStatus(
                        MigrationStatus.State.FAILED, latestAppliedQuietly(), "neo4j migration failed: " + describe(e));
            } catch (RuntimeException e) {
                if (unavailable(e)) {
                    throw new StoreMigrator.Unreachable("neo4j unreachable: " + e.getMessage(), e);
                }
                return new MigrationStatus(
                        MigrationStatus.State.FAILED, latestAppliedQuietly(), "neo4j migration failed: " + describe(e));
            }
        }
    }

    static boolean unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ServiceUnavailableException
                    || t instanceof SessionExpiredException
                    || t instanceof AuthenticationException
                    || t instanceof org.neo4j.driver.exceptions.TransientException) {
                return true;
            }
            // a starved start (every pooled connection busy, or the server slow to accept): not a failed migration
            if (t instanceof org.neo4j.driver.exceptions.ClientException
                    && t.getMessage() != null
                    && t.getMessage().contains("Unable to acquire connection from the pool")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable t = e.getCause(); t != null && b.length() < 600; t = t.getCause()) {
            b.append(" <- ").append(t.getMessage());
        }
        return b.length() > 600 ? b.substring(0, 600) + "…" : b.toString();
    }

    private static void sleep() {
        try {
            Thread.sleep(LOCK_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the neo4j migration lock", e);
        }
    }

    /** The library's words for a chain this code cannot continue (more versions, another order, other checksums). */
    private static boolean newer(MigrationsException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("More migrations have been applied")
                || m.contains("Unexpected migration at index")
                || (m.contains("Checksum of") && m.contains("changed"))
                || m.contains("changed from");
    }

    private static boolean locked(MigrationsException e) {
        return e.getMessage() != null && e.getMessage().contains("__Neo4jMigrationsLock");
    }

    /** The versions the database records, in the order they were applied (read without taking the lock). */
    public List<String> appliedVersions() {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run("MATCH p = (:__Neo4jMigration {version: 'BASELINE'})"
                            + "-[:MIGRATED_TO*1..1000]->(m:__Neo4jMigration) RETURN m.version AS v ORDER BY length(p)")
                    .list(r -> r.get("v").asString()));
        }
    }

    private static String last(List<String> versions) {
        return versions.isEmpty() ? "none" : versions.get(versions.size() - 1);
    }

    private String latestAppliedQuietly() {
        try {
            return last(appliedVersions());
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}
