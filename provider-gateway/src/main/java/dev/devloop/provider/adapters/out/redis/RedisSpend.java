package dev.devloop.provider.adapters.out.redis;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.provider.adapters.out.BackgroundFlusher;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.ports.out.SpendPort;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jboss.logging.Logger;

/**
 * Tenant spend per month in Redis: {@code devloop:provider:spend:{tenant}:{yyyy-MM}}, a float incremented atomically
 * ({@code INCRBYFLOAT}) and kept 40 days. A call's cost is only added in memory ({@link PendingSpend}); a
 * {@link BackgroundFlusher} writes the sums every {@code devloop.provider.spend.flush-interval} as one pipelined
 * INCRBYFLOAT+EXPIRE per key (one write per call timed out at ~1 000 calls/s and lost the spend). A failed write is
 * retried with the next flush, up to {@code max-attempts} times, then counted
 * ({@code devloop_provider_spend_dropped_usd_total}) and logged. What waits at shutdown is written before the Redis
 * client closes.
 *
 * <p>{@link #spent} is answered from memory: the total Redis last reported for the key (the answer to this instance's
 * own INCRBYFLOAT, or a GET) plus what this instance has not written yet, so its budget checks stay exact. Spend of
 * other instances shows once the memo is reloaded: a read of a memo older than {@code devloop.provider.spend.memo}
 * asks the flusher for one GET (served from the old memo meanwhile), so it is at most memo + two flush intervals old
 * while Redis answers. The flusher runs the GETs between its writes, so a total read never half-includes a write of
 * this instance. Only a key's first check waits (for that one GET). A read that fails keeps the last total (0 when
 * there was none) until the next reload (budgets fail open, logged) so a Redis outage never stops the gateway.
 */
@ApplicationScoped
public class RedisSpend implements SpendPort {
    private static final Logger LOG = Logger.getLogger(RedisSpend.class);

    static final String PREFIX = "devloop:provider:spend:";
    static final String DROPPED = "devloop.provider.spend.dropped.usd";
    static final String HELD = "devloop.provider.spend.keys.held";
    private static final Duration KEEP = Duration.ofDays(40);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);
    /** A memo-only key unread for this many memo periods is dropped (the next check reloads it). */
    private static final int EVICT_AFTER_MEMOS = 10;

    private static final Throwable NO_ANSWER = new TimeoutException("no answer from Redis within the flush timeout");

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final Duration timeout;
    private final long memoNanos;
    private final PendingSpend pending;
    private final Counter dropped;
    private final BackgroundFlusher flusher;
    /** Keys whose total the flusher should read; a first check waits on its future. */
    private final ConcurrentHashMap<String, CompletableFuture<Double>> loads = new ConcurrentHashMap<>();

    private boolean failing;

    @Inject
    public RedisSpend(ReactiveRedisDataSource redis, ProviderConfig config, MeterRegistry registry) {
        this(
                redis,
                config.cache().timeout(),
                config.spend().flushInterval(),
                config.spend().memo(),
                new PendingSpend(config.spend().maxKeys(), config.spend().maxAttempts()),
                registry);
    }

    RedisSpend(
            ReactiveRedisDataSource redis,
            Duration timeout,
            Duration flushInterval,
            Duration memo,
            PendingSpend pending,
            MeterRegistry registry) {
        this.redis = redis;
        this.values = redis.value(String.class, String.class);
        this.timeout = timeout;
        this.memoNanos = Math.max(1, memo.toNanos());
        this.pending = pending;
        this.dropped = Counter.builder(DROPPED)
                .description("Spend (USD) never written to Redis: retries exhausted, or a write at shutdown failed")
                .baseUnit("usd")
                .register(registry);
        Gauge.builder(HELD, pending, PendingSpend::held)
                .description("Spend keys (tenant, month) with an amount not yet written to Redis")
                .register(registry);
        this.flusher = new BackgroundFlusher("spend-flush", flushInterval, SHUTDOWN_WAIT, new Work(), dropped);
    }

    public static String key(String tenant, String period) {
        return PREFIX + tenant + ":" + period;
    }

    @PostConstruct
    void start() {
        flusher.start();
    }

    @Override
    public double spent(String tenant, String period) {
        String k = key(tenant, period);
        PendingSpend.Held held = pending.read(k);
        if (held != null && held.known()) {
            if (System.nanoTime() - held.flushedAt() > memoNanos && !loads.containsKey(k)) {
                loads.putIfAbsent(k, new CompletableFuture<>());
                flusher.wake(); // one reload; this check and those until it lands use the memo
            }
            return held.total();
        }
        return firstRead(tenant, k);
    }

    /** No memo yet: waits for the flusher's GET (one per key, shared by concurrent checks). */
    private double firstRead(String tenant, String k) {
        Double fromRedis = null;
        try {
            if (flusher.closed()) { // shutting down: nobody runs the loads any more
                String raw = values.get(k).await().atMost(timeout);
                fromRedis = raw == null ? 0 : Double.parseDouble(raw);
            } else {
                CompletableFuture<Double> load = loads.computeIfAbsent(k, x -> new CompletableFuture<>());
                flusher.wake();
                fromRedis = load.get(timeout.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | ExecutionException | TimeoutException e) {
            LogFields.of("tenant", tenant, "error", e.getClass().getSimpleName())
                    .warn(LOG, "spend lookup failed; budget check counts this instance's spend only");
        }
        PendingSpend.Held held = pending.read(k);
        if (held != null && held.known()) {
            return held.total();
        }
        double local = held == null ? 0 : held.local();
        return fromRedis == null ? local : fromRedis + local; // the memo was not kept (max-keys reached)
    }

    /** Visible to {@link #spent} on this instance when it returns; in Redis within one flush interval. */
    @Override
    public void add(String tenant, String period, double usd) {
        if (usd <= 0) {
            return;
        }
        String k = key(tenant, period);
        if (flusher.closed() || !pending.add(k, usd)) {
            writeNow(k, usd); // after shutdown's flush, or past the bound on waiting keys
        }
    }

    @Override
    public void addLater(String tenant, String period, double usd) {
        add(tenant, period, usd);
    }

    /** Reads the requested totals, then (on a tick) writes everything waiting. */
    private final class Work implements BackgroundFlusher.Work {
        @Override
        public void flush(boolean due) {
            run(due);
        }

        @Override
        public long waiting() {
            return pending.held();
        }

        @Override
        public double abandon() {
            double sum = 0;
            synchronized (RedisSpend.this) {
                for (Map.Entry<String, Double> e : pending.abandon().entrySet()) {
                    sum += e.getValue();
                    LogFields.of("key", e.getKey(), "usd", e.getValue())
                            .error(LOG, null, "spend not written at shutdown");
                }
            }
            return sum;
        }
    }

    /** Writes everything waiting; returns when Redis answered every key, or after the timeout (then retried). */
    void flush() {
        run(true);
    }

    private synchronized void run(boolean due) {
        if (!loads.isEmpty()) {
            load();
        }
        if (due) {
            write();
            pending.evict(System.nanoTime(), memoNanos * EVICT_AFTER_MEMOS);
        }
    }

    /** One pipelined GET per requested key; a failed one keeps the memo (0 when there was none) until the next reload: budgets fail open. */
    private void load() {
        List<String> keys = new ArrayList<>(loads.keySet());
        AtomicReferenceArray<Object> answers = new AtomicReferenceArray<>(keys.size());
        try {
            redis.withConnection(c -> {
                        ReactiveValueCommands<String, String> v = c.value(String.class, String.class);
                        List<Uni<Void>> reads = new ArrayList<>(keys.size());
                        for (int i = 0; i < keys.size(); i++) {
                            int at = i;
                            reads.add(v.get(keys.get(i))
                                    .ifNoItem()
                                    .after(timeout)
                                    .fail()
                                    .onItemOrFailure()
                                    .transform((raw, failure) -> {
                                        answers.set(at, failure != null ? failure : raw == null ? "0" : raw);
                                        return null;
                                    }));
                        }
                        return Uni.join().all(reads).andFailFast().replaceWithVoid();
                    })
                    .await()
                    .atMost(timeout.multipliedBy(2));
        } catch (RuntimeException e) {
            LogFields.of("keys", keys.size(), "error", e.getClass().getSimpleName())
                    .debug(LOG, "spend reload did not complete");
        }
        long now = System.nanoTime();
        for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i);
            CompletableFuture<Double> waiter = loads.remove(k);
            Object answer = answers.get(i);
            if (answer instanceof String raw) {
                double total = Double.parseDouble(raw);
                pending.loaded(k, total, now);
                if (waiter != null) {
                    waiter.complete(total);
                }
            } else {
                pending.loadFailed(k, now);
                if (waiter != null) {
                    waiter.completeExceptionally(answer instanceof Throwable t ? t : NO_ANSWER);
                }
            }
        }
    }

    private void write() {
        Map<String, Double> taken = pending.take();
        if (taken.isEmpty()) {
            return;
        }
        // per key: null once Redis took it, else why not (a key still unanswered at the timeout keeps NO_ANSWER)
        AtomicReferenceArray<Throwable> outcomes = new AtomicReferenceArray<>(taken.size());
        double[] totals = new double[taken.size()];
        for (int i = 0; i < taken.size(); i++) {
            outcomes.set(i, NO_ANSWER);
        }
        try {
            redis.withConnection(c -> {
                        ReactiveValueCommands<String, String> v = c.value(String.class, String.class);
                        List<Uni<Void>> writes = new ArrayList<>(taken.size());
                        // sent without waiting, in order, on one connection: one round trip for all keys; each EXPIRE
                        // follows the INCRBYFLOAT that may create its key
                        taken.forEach((k, usd) -> {
                            int i = writes.size();
                            writes.add(Uni.combine()
                                    .all()
                                    .unis(
                                            v.incrbyfloat(k, usd),
                                            c.key(String.class).expire(k, KEEP))
                                    .asTuple()
                                    .ifNoItem()
                                    .after(timeout)
                                    .fail()
                                    .onItemOrFailure()
                                    .transform((answer, failure) -> {
                                        if (failure == null) {
                                            totals[i] = answer.getItem1(); // published by the outcome's write
                                        }
                                        outcomes.set(i, failure);
                                        return null;
                                    }));
                        });
                        return Uni.join().all(writes).andFailFast().replaceWithVoid();
                    })
                    .await()
                    .atMost(timeout.multipliedBy(2));
        } catch (RuntimeException e) {
            LogFields.of("keys", taken.size(), "error", e.getClass().getSimpleName())
                    .debug(LOG, "spend flush did not complete");
        }
        settle(taken, outcomes, totals);
    }

    private void settle(Map<String, Double> taken, AtomicReferenceArray<Throwable> outcomes, double[] totals) {
        int i = 0;
        long now = System.nanoTime();
        Throwable firstFailure = null;
        for (Map.Entry<String, Double> e : taken.entrySet()) {
            int at = i++;
            Throwable failure = outcomes.getAndSet(at, NO_ANSWER); // a late answer changes nothing now
            if (failure == null) {
                pending.written(e.getKey(), totals[at], now);
                continue;
            }
            firstFailure = firstFailure == null ? failure : firstFailure;
            if (pending.failed(e.getKey(), e.getValue()) == PendingSpend.Retry.GIVEN_UP) {
                lost(e.getKey(), e.getValue(), failure, "spend given up after repeated write failures");
            }
        }
        if (firstFailure != null && !failing) {
            LogFields.of("keys", taken.size(), "error", firstFailure.getClass().getSimpleName())
                    .warn(LOG, "spend write failed; retried with the next flush");
        } else if (firstFailure == null && failing) {
            LogFields.of("keys", taken.size()).info(LOG, "spend writes succeed again");
        }
        failing = firstFailure != null;
    }

    private void writeNow(String k, double usd) {
        redis.withConnection(c -> Uni.combine()
                        .all()
                        .unis(
                                c.value(String.class, String.class).incrbyfloat(k, usd),
                                c.key(String.class).expire(k, KEEP))
                        .discardItems())
                .ifNoItem()
                .after(timeout)
                .fail()
                .subscribe()
                .with(ok -> {}, failure -> lost(k, usd, failure, "spend write failed"));
    }

    private void lost(String k, double usd, Throwable failure, String message) {
        dropped.increment(usd);
        LogFields.of("key", k, "usd", usd, "error", failure.getClass().getSimpleName())
                .error(LOG, null, message);
    }

    /** On {@link ShutdownEvent}, which Quarkus fires before the Redis client closes. */
    void onShutdown(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        flusher.close();
    }

    @PreDestroy
    void close() {
        flusher.close();
    }
}
