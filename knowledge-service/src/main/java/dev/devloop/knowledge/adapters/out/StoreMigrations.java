package dev.devloop.knowledge.adapters.out;

import dev.devloop.knowledge.adapters.out.mongo.MongoMigrator;
import dev.devloop.knowledge.adapters.out.neo4j.Neo4jGraph;
import dev.devloop.knowledge.adapters.out.neo4j.Neo4jMigrator;
import dev.devloop.knowledge.ports.out.StoreMigrationsPort;
import dev.devloop.migrations.MigrationStatus;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The stores' versioned migrations, off the start thread (issue 16: they held the start 4–5 s). At start each
 * store's migrator runs on a thread of its own, both at once; once both are applied the migrated Neo4j indexes are
 * awaited and the gate opens: readiness ({@link MigrationsReadinessCheck}, {@code migrations}) turns UP and the
 * Kafka consumers that write start handling records. A store unreachable at start keeps the gate closed while its
 * migrator retries; a failed or refused migration keeps it closed until the next start (readiness says why).
 */
@ApplicationScoped
public class StoreMigrations implements StoreMigrationsPort {
    private static final long POLL_MILLIS = 50;

    /**
     * How long a store call arriving while the start's first migration attempt still runs waits for it (a request
     * or a background job right after the start; usually well under a second when the chain is current).
     */
    public static final Duration FIRST_ATTEMPT_WAIT = Duration.ofSeconds(10);

    /** One store's migrator as the gate sees it: its first attempt (blocking) and its status. */
    public record Store(String name, Runnable start, Supplier<MigrationStatus> status) {}

    private final List<Store> stores;
    private final Runnable schema;
    private final CountDownLatch migrated = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Thread worker;

    @Inject
    public StoreMigrations(Neo4jMigrator neo4j, MongoMigrator mongo, Neo4jGraph graph) {
        this(
                List.of(
                        new Store("neo4j", neo4j::startNow, neo4j::status),
                        new Store("mongodb", mongo::startNow, mongo::status)),
                graph::ensureSchema);
    }

    /** {@code schema} runs once every store is migrated (Neo4j's indexes online); its outage does not hold the gate. */
    public StoreMigrations(List<Store> stores, Runnable schema) {
        this.stores = List.copyOf(stores);
        this.schema = schema;
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        start();
    }

    void onStop(@Observes @Priority(5) ShutdownEvent event) {
        stopping = true;
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Starts the migrations in the background and returns at once. */
    public void start() {
        Thread t = new Thread(this::migrate, "store-migrations");
        t.setDaemon(true);
        worker = t;
        t.start();
    }

    private void migrate() {
        long begin = System.nanoTime();
        List<Thread> attempts = new ArrayList<>();
        for (Store store : stores) {
            Thread t = new Thread(store.start(), store.name() + "-migrations-start");
            t.setDaemon(true);
            attempts.add(t);
            t.start();
        }
        try {
            for (Thread t : attempts) {
                t.join();
            }
            // a store unreachable at start is retried by its migrator; the gate opens once it has caught up
            while (!allApplied()) {
                if (stopping || anyFinal()) {
                    return;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            schema.run();
        } catch (RuntimeException e) { // Neo4j away again, an index still populating: the first graph call awaits them
            Log.warnf("neo4j indexes not awaited after the migrations: %s", e.getMessage());
        }
        migrated.countDown();
        Log.infof("store migrations applied in %d ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    private boolean allApplied() {
        return stores.stream().allMatch(s -> s.status().get().ready());
    }

    private boolean anyFinal() {
        return stores.stream()
                .map(s -> s.status().get().state())
                .anyMatch(s -> s == MigrationStatus.State.FAILED || s == MigrationStatus.State.REFUSED);
    }

    @Override
    public boolean awaitMigrated(Duration wait) {
        try {
            return migrated.await(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return migrated.getCount() == 0;
        }
    }

    /** Waits for {@code latch} up to {@link #FIRST_ATTEMPT_WAIT}, keeping the interrupt flag. */
    public static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(FIRST_ATTEMPT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once every store is migrated and the gate is open. */
    public boolean migrated() {
        return migrated.getCount() == 0;
    }

    /** Each store's migration state ({@code pending}, {@code applied}, {@code failed}, {@code refused}). */
    public Map<String, String> states() {
        Map<String, String> states = new LinkedHashMap<>();
        for (Store store : stores) {
            states.put(store.name(), store.status().get().state().name().toLowerCase(java.util.Locale.ROOT));
        }
        return states;
    }
}
