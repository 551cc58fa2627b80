package dev.devloop.provider.adapters.out.mongo;

import com.mongodb.client.model.InsertManyOptions;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.provider.adapters.out.BackgroundFlusher;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.domain.UsageRecord;
import dev.devloop.provider.ports.out.UsageLedgerPort;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * Usage ledger in MongoDB {@code devloop_providers.usage}: one document per answered call, keyed by
 * its id, carrying the tenant (index {@code tenant_at}: migration V001, {@link MongoMigrator}). Writes are
 * fire-and-forget so a slow store never delays an answer.
 *
 * <p>Writes are coalesced off the request's thread: {@link #record} only queues the record; the ledger's own thread
 * ({@code usage-ledger}, a {@link BackgroundFlusher}) starts the writes every {@link #FLUSH_INTERVAL} (at once when
 * {@value #MAX_BATCH} records wait), at most {@value #MAX_WRITES} in flight, each an unordered {@code insertMany} of
 * at most {@value #MAX_BATCH} documents, and each completion starts the next while records wait. Before stop 38 the
 * request's thread (the event loop) started the write itself: at one call at a time one insert per call, the
 * document encoded and the driver's connection-pool thread woken before the answer was written (async-profiler wall
 * clock: ~55-75 µs of the event loop's time per call); under load it was already one round trip per batch (per-call
 * inserts were ~14 % of the CPU at 50 clients). A record reaches the store within about one interval. At most
 * {@value #MAX_PENDING} records wait; beyond that a record is written on its own, with at most
 * {@value #MAX_OVERFLOW_WRITES} such writes in flight. A record that finds both full (the store has been behind by
 * tens of seconds of traffic) is not kept: it is counted ({@code devloop_provider_usage_dropped_total}) and logged
 * with its tenant and id, and still reaches Kafka's usage topic; memory stays bounded whatever the store does. What
 * is queued at shutdown is written before the client closes (bounded wait).
 */
@ApplicationScoped
public class MongoUsageLedger implements UsageLedgerPort {
    private static final Logger LOG = Logger.getLogger(MongoUsageLedger.class);

    static final String COLLECTION = "usage";
    /** The warm-up's collection ({@link #scratch}): the same writes as the ledger's, emptied when the warm-up ends. */
    static final String SCRATCH_COLLECTION = "warmup_usage";

    static final int MAX_BATCH = 500;
    /** Batch writes in flight at once: one kept the ledger behind a gateway serving ~1 000 calls/s (README). */
    static final int MAX_WRITES = 4;

    static final int MAX_PENDING = 20_000;
    static final int MAX_OVERFLOW_WRITES = 256;
    /** How often the ledger's thread writes what the calls queued. */
    static final Duration FLUSH_INTERVAL = Duration.ofMillis(50);

    static final String DROPPED = "devloop.provider.usage.dropped";

    private final ReactiveMongoCollection<Document> usage;
    private final int maxPending;
    private final int maxOverflowWrites;
    private final Counter dropped;
    private final Queue<UsageRecord> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger overflowWrites = new AtomicInteger();
    private final BackgroundFlusher flusher;

    @Inject
    public MongoUsageLedger(ReactiveMongoClient mongo, ProviderConfig config, MeterRegistry registry) {
        this(
                mongo.getDatabase(config.database()).getCollection(COLLECTION),
                MAX_PENDING,
                MAX_OVERFLOW_WRITES,
                Counter.builder(DROPPED)
                        .description("usage records not written to MongoDB because its write queue was full")
                        .register(registry));
    }

    MongoUsageLedger(ReactiveMongoCollection<Document> usage, int maxPending, int maxOverflowWrites, Counter dropped) {
        this.usage = usage;
        this.maxPending = maxPending;
        this.maxOverflowWrites = maxOverflowWrites;
        this.dropped = dropped;
        this.flusher = new BackgroundFlusher("usage-ledger", FLUSH_INTERVAL, Duration.ZERO, new Work(), dropped);
        flusher.start();
    }

    /** The ledger thread's work: start writes while records wait; the shutdown drain is {@link #flush}'s. */
    private final class Work implements BackgroundFlusher.Work {
        @Override
        public void flush(boolean due) {
            if (!flusher.closed()) { // at shutdown flush() writes what waits, and waits for it
                drain();
            }
        }

        @Override
        public long waiting() {
            return 0;
        }

        @Override
        public double abandon() {
            return 0;
        }
    }

    /**
     * A ledger over the scratch collection, for the start-up warm-up: its calls run the driver's encoding and batch
     * writes as real usage does (cold, they were ~15 % of the first seconds' samples after ready), and nothing reaches
     * {@code usage}. Its dropped-record counter is registered nowhere.
     */
    public static MongoUsageLedger scratch(ReactiveMongoClient mongo, String database) {
        return new MongoUsageLedger(
                mongo.getDatabase(database).getCollection(SCRATCH_COLLECTION),
                MAX_PENDING,
                MAX_OVERFLOW_WRITES,
                Counter.builder(DROPPED).register(new SimpleMeterRegistry()));
    }

    /**
     * Waits (bounded) until nothing is queued or in flight, then empties the scratch collection (a leftover of a
     * warm-up that ended early is emptied by the next). Its documents are deleted rather than the collection dropped:
     * on the local MongoDB stand-in (H2 MVStore) rounds of inserts and collection drops broke the store's background
     * writer in a reproduction where the same rounds with deletes did not (docs/verification.md, stop 35). The
     * ledger's thread ends here.
     */
    public void emptyScratch(Duration wait) {
        if (!usage.getNamespace().getCollectionName().equals(SCRATCH_COLLECTION)) {
            throw new IllegalStateException("only the scratch ledger is emptied, not " + usage.getNamespace());
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while ((size.get() > 0 || writes.get() > 0 || overflowWrites.get() > 0)
                && System.nanoTime() < deadline
                && !Thread.currentThread().isInterrupted()) {
            java.util.concurrent.locks.LockSupport.parkNanos(
                    Duration.ofMillis(10).toNanos());
        }
        try {
            usage.deleteMany(new Document())
                    .await()
                    .atMost(Duration.ofNanos(Math.max(Duration.ofSeconds(1).toNanos(), deadline - System.nanoTime())));
        } finally {
            flusher.close(); // the warm-up is over: its ledger's thread ends
        }
    }

    @Override
    public void record(UsageRecord u) {
        int waiting = size.incrementAndGet();
        if (waiting > maxPending) {
            size.decrementAndGet();
            writeAlone(u);
            return;
        }
        pending.add(u);
        if (waiting % MAX_BATCH == 0) {
            flusher.wake(); // a full batch waits: write it now, not at the next tick
        }
    }

    /** Lone writes (past the queue's bound) not yet answered by the store. */
    int loneWritesInFlight() {
        return overflowWrites.get();
    }

    private void writeAlone(UsageRecord u) {
        if (overflowWrites.incrementAndGet() > maxOverflowWrites) {
            overflowWrites.decrementAndGet();
            dropped.increment();
            LogFields.of("tenant", u.tenant(), "usageId", u.id()).warn(LOG, "usage not recorded: the ledger is full");
            return;
        }
        usage.insertOne(document(u)).subscribe().with(ok -> overflowWrites.decrementAndGet(), failure -> {
            overflowWrites.decrementAndGet();
            LogFields.of("tenant", u.tenant(), "usageId", u.id(), "error", failure.getMessage())
                    .warn(LOG, "usage not recorded");
        });
    }

    /**
     * The record as stored, made only when its write starts: the queue holds the compact records, not Documents (a
     * LinkedHashMap of 14 entries each, several times a record).
     */
    private static Document document(UsageRecord u) {
        return new Document("_id", u.id())
                .append("tenant", u.tenant())
                .append("agentId", u.agentId())
                .append("provider", u.provider())
                .append("model", u.model())
                .append("inputTokens", u.inputTokens())
                .append("outputTokens", u.outputTokens())
                .append("totalTokens", u.totalTokens())
                .append("cached", u.cached())
                .append("streamed", u.streamed())
                .append("finishReason", u.finishReason())
                .append("latencyMs", u.latencyMs())
                .append("at", Date.from(u.at()))
                .append("costUsd", u.costUsd());
    }

    /**
     * Starts batch writes while records wait and fewer than {@value #MAX_WRITES} are in flight; each completion starts
     * the next. A record added while every write is busy is picked up by the next completion (the record is queued
     * before the count is read, the count released before the queue is read, so one of the two sees the other).
     */
    private void drain() {
        while (!pending.isEmpty()) {
            int now = writes.get();
            if (now >= MAX_WRITES) {
                return;
            }
            if (!writes.compareAndSet(now, now + 1)) {
                continue;
            }
            List<Document> batch = take();
            if (batch.isEmpty()) {
                writes.decrementAndGet();
                continue;
            }
            usage.insertMany(batch, new InsertManyOptions().ordered(false))
                    .subscribe()
                    .with(ok -> next(), failure -> {
                        LogFields.of("records", batch.size(), "error", failure.getMessage())
                                .warn(LOG, "usage not recorded");
                        next();
                    });
        }
    }

    private void next() {
        writes.decrementAndGet();
        drain();
    }

    private List<Document> take() {
        List<Document> batch = new ArrayList<>(Math.min(MAX_BATCH, Math.max(1, size.get())));
        UsageRecord u;
        while (batch.size() < MAX_BATCH && (u = pending.poll()) != null) {
            batch.add(document(u));
            size.decrementAndGet();
        }
        return batch;
    }

    /**
     * Writes what is still queued and waits for the writes the ledger's thread started (bounded: 5 s in all), so a
     * clean shutdown loses no usage record.
     */
    @PreDestroy
    void flush() {
        flusher.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while ((!pending.isEmpty() || writes.get() > 0 || overflowWrites.get() > 0) && System.nanoTime() < deadline) {
            List<Document> batch = take();
            if (batch.isEmpty()) {
                // a write in flight (its completion may start the next): wait for it
                java.util.concurrent.locks.LockSupport.parkNanos(
                        Duration.ofMillis(5).toNanos());
                continue;
            }
            try {
                usage.insertMany(batch, new InsertManyOptions().ordered(false))
                        .await()
                        .atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (RuntimeException e) {
                LogFields.of("records", batch.size(), "error", e.getMessage())
                        .warn(LOG, "usage not recorded at shutdown");
            }
        }
    }
}
