package dev.devloop.knowledge.adapters.out.neo4j;

import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionCallback;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.async.AsyncSession;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.driver.exceptions.DatabaseException;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.exceptions.RetryableException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.neo4j.driver.exceptions.TransientException;

/**
 * Shared Neo4j access for the graph adapters: bounded transactions, no access before the versioned migrations
 * ({@link Neo4jMigrator}) are applied, and unavailability mapped to 503.
 */
@ApplicationScoped
public class Neo4jGraph {
    static final String STORE = "neo4j";

    /**
     * The shared vector index over chunk embeddings: only chunks labelled {@code SharedChunk}, those of tenants routed
     * to it (V003; see {@link Neo4jTenantVectors}).
     */
    public static final String CHUNK_VECTOR_INDEX = "devloop_shared_chunk_embedding";
    /** Full-text index over chunk text and a one-token tenant key (the tenant is matched inside the index query). */
    public static final String CHUNK_TEXT_INDEX = "devloop_chunk_fulltext";
    /** The shared vector index over entity embeddings (type, id and properties as text), label {@code SharedEntity}. */
    public static final String ENTITY_VECTOR_INDEX = "devloop_shared_entity_embedding";

    private static final SessionConfig READ_SESSION =
            SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build();

    private final Driver driver;
    private final TransactionConfig txConfig;
    private final TransactionConfig longTxConfig;
    private final Neo4jMigrator migrator;
    private final AtomicBoolean schemaReady = new AtomicBoolean();

    public Neo4jGraph(Driver driver, KnowledgeConfig config, Neo4jMigrator migrator) {
        this.driver = driver;
        this.migrator = migrator;
        this.txConfig = TransactionConfig.builder()
                .withTimeout(config.stores().neo4jTransactionTimeout())
                .build();
        this.longTxConfig = TransactionConfig.builder()
                .withTimeout(config.stores().neo4jBulkTransactionTimeout())
                .build();
    }

    /** Waits for the migrated indexes at startup when Neo4j is up and migrated; otherwise the first call does. */
    void onStart(@Observes StartupEvent event) {
        try {
            ensureSchema();
        } catch (TierUnavailableException e) {
            Log.warnf(
                    "neo4j not ready at startup (%s); the graph answers 503 until it is",
                    migrator.status().reason());
        }
    }

    /** Runs a write transaction bounded by the bulk timeout (document ingestion). */
    public <T> T writeBulk(TransactionCallback<T> work) {
        ensureSchema();
        return call(() -> {
            try (Session session = driver.session()) {
                return session.executeWrite(work, longTxConfig);
            }
        });
    }

    /** Runs a write transaction. */
    public <T> T write(TransactionCallback<T> work) {
        ensureSchema();
        return call(() -> {
            try (Session session = driver.session()) {
                return session.executeWrite(work, txConfig);
            }
        });
    }

    /** Runs a read transaction. */
    public <T> T read(TransactionCallback<T> work) {
        ensureSchema();
        return call(() -> {
            try (Session session = driver.session()) {
                return session.executeRead(work, txConfig);
            }
        });
    }

    /**
     * Runs one read-only statement as an auto-commit transaction: one round trip (RUN and PULL pipelined) where a
     * managed read transaction takes three (BEGIN, RUN+PULL, COMMIT), measured 1.1 against 1.6 ms for {@code RETURN 1}.
     * For single-statement reads on the search path; like {@link #read} it is bounded by the transaction timeout, but a
     * transient failure is not retried (it answers 503, and the caller may retry).
     */
    public <T> List<T> query(String statement, Map<String, Object> parameters, Function<Record, T> mapper) {
        ensureSchema();
        return call(() -> {
            try (Session session = driver.session(READ_SESSION)) {
                return session.run(statement, parameters, txConfig).list(mapper);
            }
        });
    }

    /**
     * {@link #query} on the async driver: the statement is sent from the calling thread and its records are mapped on
     * the driver's I/O thread, so no thread of ours waits for it (a hybrid search's keyword side overlaps the query
     * embedding without a pool thread). Outages complete it with {@link TierUnavailableException}, like {@link #query}.
     */
    public <T> CompletableFuture<List<T>> queryAsync(
            String statement, Map<String, Object> parameters, Function<Record, T> mapper) {
        ensureSchema();
        return autoCommitAsync(READ_SESSION, statement, parameters, txConfig, mapper);
    }

    /**
     * One statement as an auto-commit transaction on the async driver, completed once its records and summary are in
     * and its session is closed: for a write that is after its commit (Neo4j commits an auto-commit transaction
     * before the summary that ends its results). Answering before the close was measured and did not pay (stop 39:
     * the close took 0.04 ms p50 after a 5.5 ms read).
     */
    private <T> CompletableFuture<List<T>> autoCommitAsync(
            SessionConfig sessionConfig,
            String statement,
            Map<String, Object> parameters,
            TransactionConfig config,
            Function<Record, T> mapper) {
        AsyncSession session = driver.session(AsyncSession.class, sessionConfig);
        CompletableFuture<List<T>> result = new CompletableFuture<>();
        CompletableFuture<List<T>> rows;
        try {
            rows = session.runAsync(statement, parameters, config)
                    .thenCompose(cursor -> cursor.listAsync(mapper))
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            session.closeAsync();
            throw e;
        }
        rows.whenComplete((list, failure) -> session.closeAsync().whenComplete((ignored, closing) -> {
            if (failure == null) {
                result.complete(list);
            } else {
                result.completeExceptionally(mapped(failure));
            }
        }));
        return result;
    }

    /**
     * Runs one write statement as an auto-commit transaction and returns its records once it has committed (stop 39):
     * one round trip (RUN and PULL pipelined) where {@link #writeBulk}'s managed transaction waits for three or four
     * (BEGIN, RUN, PULL, COMMIT). Bounded by the bulk timeout. The statement must be idempotent:
     * like {@link #writeBulk} it is retried on a transient failure (a deadlock, a lost connection: up to {@value
     * #WRITE_ATTEMPTS} attempts, 10, 20 and 40 ms apart), and a retry after a lost connection may run it a second time.
     */
    public <T> List<T> writeOnce(String statement, Map<String, Object> parameters, Function<Record, T> mapper) {
        ensureSchema();
        for (int attempt = 1; ; attempt++) {
            CompletableFuture<List<T>> written;
            try {
                written = autoCommitAsync(SessionConfig.defaultConfig(), statement, parameters, longTxConfig, mapper);
            } catch (Neo4jException e) {
                // refused before anything was sent (a closed driver): as writeBulk answers it
                throw unavailable(e) ? new TierUnavailableException(STORE, e) : e;
            }
            try {
                return written.join();
            } catch (CompletionException e) {
                // already mapped: an outage is a TierUnavailableException around the driver's exception
                Throwable cause = e.getCause() == null ? e : e.getCause();
                Throwable raw =
                        cause instanceof TierUnavailableException t && t.getCause() != null ? t.getCause() : cause;
                if (attempt < WRITE_ATTEMPTS && retryable(raw)) {
                    Log.debugf(raw, "neo4j write attempt %d failed transiently; retrying", attempt);
                    pause(10L << (attempt - 1));
                    continue;
                }
                throw cause instanceof RuntimeException r ? r : e;
            }
        }
    }

    /** As the driver's managed transactions retry: not a timed-out, terminated or stopped transaction. */
    private static boolean retryable(Throwable raw) {
        if (!(raw instanceof RetryableException)) {
            return false;
        }
        String code = raw instanceof Neo4jException n && n.code() != null ? n.code() : "";
        return !code.contains("TransactionTimedOut")
                && !code.contains("Terminated")
                && !code.contains("LockClientStopped");
    }

    /** Attempts of one {@link #writeOnce} statement. */
    static final int WRITE_ATTEMPTS = 4;

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TierUnavailableException(STORE, e);
        }
    }

    private static Throwable mapped(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof Neo4jException e && unavailable(e)) {
            Log.debugf(e, "neo4j call failed");
            return new TierUnavailableException(STORE, e);
        }
        return cause;
    }

    /** Runs one schema statement (index creation, drop, await) in an auto-commit transaction. */
    public void schema(String statement) {
        ensureSchema();
        call(() -> {
            try (Session session = driver.session()) {
                session.run(statement, longTxConfig).consume();
            }
            return null;
        });
    }

    /**
     * The schema is the versioned migrations' ({@link Neo4jMigrations}, src/main/resources/neo4j/migrations): until
     * they are applied every graph call answers 503; once they are, waits (≤ 30 s, once) for their indexes to be online.
     */
    public void ensureSchema() {
        if (schemaReady.get()) {
            return;
        }
        migrator.ensureMigrated();
        call(() -> {
            try (Session session = driver.session()) {
                session.run("CALL db.awaitIndexes($seconds)", Map.of("seconds", 30L))
                        .consume();
            }
            return null;
        });
        schemaReady.set(true);
        Log.debugf("neo4j schema ensured");
    }

    private static <T> T call(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (Neo4jException e) {
            if (unavailable(e)) {
                Log.debugf(e, "neo4j call failed");
                throw new TierUnavailableException(STORE, e);
            }
            throw e;
        }
    }

    private static boolean unavailable(Neo4jException e) {
        return e instanceof ServiceUnavailableException
                || e instanceof SessionExpiredException
                || e instanceof TransientException
                || e instanceof DatabaseException
                || e instanceof AuthenticationException
                || (e.code() != null && e.code().contains("TransactionTimedOut"))
                || (e.getMessage() != null && e.getMessage().contains("Unable to acquire connection"));
    }
}
