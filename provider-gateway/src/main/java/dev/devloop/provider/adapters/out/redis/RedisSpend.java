package dev.devloop.provider.adapters.out.redis;

import dev.devloop.contracts.logging.LogFields;
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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * Tenant spend per month in Redis: {@code devloop:provider:spend:{tenant}:{yyyy-MM}}, a float incremented atomically
 * ({@code INCRBYFLOAT}) and kept 40 days. A call's cost is only added in memory ({@link PendingSpend}); one daemon
 * thread writes the sums every {@code devloop.provider.spend.flush-interval} as one pipelined INCRBYFLOAT+EXPIRE per
 * key (one write per call timed out at ~1 000 calls/s and lost the spend). A failed write is retried with the next
 * flush, up to {@code max-attempts} times, then counted ({@code devloop_provider_spend_dropped_usd_total}) and logged.
 * {@link #spent} adds what this instance has not written yet, so its budget checks stay exact. What waits at shutdown
 * is written before the Redis client closes. A read that fails counts as the local amount only (budgets fail open,
 * logged) so a Redis outage never stops the gateway.
 */
@ApplicationScoped
public class RedisSpend implements SpendPort {
    private static final Logger LOG = Logger.getLogger(RedisSpend.class);

    static final String PREFIX = "devloop:provider:spend:";
    static final String DROPPED = "devloop.provider.spend.dropped.usd";
    static final String HELD = "devloop.provider.spend.keys.held";
    private static final Duration KEEP = Duration.ofDays(40);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);
    private static final Throwable NO_ANSWER = new TimeoutException("no answer from Redis within the flush timeout");

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final Duration timeout;
    private final long intervalNanos;
    private final PendingSpend pending;
    private final Counter dropped;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean stopping;
    private boolean failing;
    private Thread flusher;

    @Inject
    public RedisSpend(ReactiveRedisDataSource redis, ProviderConfig config, MeterRegistry registry) {
        this(
                redis,
                config.cache().timeout(),
                config.spend().flushInterval(),
                new PendingSpend(config.spend().maxKeys(), config.spend().maxAttempts()),
                registry);
    }

    RedisSpend(
            ReactiveRedisDataSource redis,
            Duration timeout,
            Duration flushInterval,
            PendingSpend pending,
            MeterRegistry registry) {
        this.redis = redis;
        this.values = redis.value(String.class, String.class);
        this.timeout = timeout;
        this.intervalNanos = Math.max(1, flushInterval.toNanos());
        this.pending = pending;
        this.dropped = Counter.builder(DROPPED)
                .description("Spend (USD) never written to Redis: retries exhausted, or a write at shutdown failed")
                .baseUnit("usd")
                .register(registry);
        Gauge.builder(HELD, pending, PendingSpend::held)
                .description("Spend keys (tenant, month) with an amount not yet written to Redis")
                .register(registry);
    }

    public static String key(String tenant, String period) {
        return PREFIX + tenant + ":" + period;
    }

    @PostConstruct
    void start() {
        flusher = new Thread(this::flushLoop, "spend-flush");
        flusher.setDaemon(true);
        flusher.start();
    }

    @Override
    public double spent(String tenant, String period) {
        String k = key(tenant, period);
        double local = pending.local(k);
        try {
            String raw = values.get(k).await().atMost(timeout);
            return local + (raw == null ? 0 : Double.parseDouble(raw));
        } catch (RuntimeException e) {
            LogFields.of("tenant", tenant, "error", e.getClass().getSimpleName())
                    .warn(LOG, "spend lookup failed; budget check counts this instance's spend only");
            return local;
        }
    }

    /** Visible to {@link #spent} on this instance when it returns; in Redis within one flush interval. */
    @Override
    public void add(String tenant, String period, double usd) {
        if (usd <= 0) {
            return;
        }
        String k = key(tenant, period);
        if (closed.get() || !pending.add(k, usd)) {
            writeNow(k, usd); // after shutdown's flush, or past the bound on waiting keys
        }
    }

    @Override
    public void addLater(String tenant, String period, double usd) {
        add(tenant, period, usd);
    }

    private void flushLoop() {
        while (!stopping) {
            LockSupport.parkNanos(this, intervalNanos);
            try {
                flush();
            } catch (RuntimeException e) {
                LogFields.of("error", e.toString()).warn(LOG, "spend flush failed");
            }
        }
    }

    /** Writes everything waiting; returns when Redis answered every key, or after the timeout (then retried). */
    synchronized void flush() {
        Map<String, Double> taken = pending.take();
        if (taken.isEmpty()) {
            return;
        }
        // per key: null once Redis took it, else why not (a key still unanswered at the timeout keeps NO_ANSWER)
        AtomicReferenceArray<Throwable> outcomes = new AtomicReferenceArray<>(taken.size());
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
                                    .discardItems()
                                    .ifNoItem()
                                    .after(timeout)
                                    .fail()
                                    .onItemOrFailure()
                                    .transform((ok, failure) -> {
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
        settle(taken, outcomes);
    }

    private void settle(Map<String, Double> taken, AtomicReferenceArray<Throwable> outcomes) {
        int i = 0;
        Throwable firstFailure = null;
        for (Map.Entry<String, Double> e : taken.entrySet()) {
            Throwable failure = outcomes.getAndSet(i++, NO_ANSWER); // a late answer changes nothing now
            if (failure == null) {
                pending.written(e.getKey());
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

    /**
     * Writes what waits, retrying failed keys until {@code SHUTDOWN_WAIT}; what still fails is counted and logged. On
     * {@link ShutdownEvent}, which Quarkus fires before the Redis client closes ({@code @PreDestroy} alone may come
     * after).
     */
    void onShutdown(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        close();
    }

    @PreDestroy
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopping = true;
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        if (flusher != null) {
            LockSupport.unpark(flusher);
            try {
                flusher.join(timeout.multipliedBy(3).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
        while (pending.held() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(
                    this, Math.min(intervalNanos, Duration.ofMillis(50).toNanos()));
            flush();
        }
        synchronized (this) {
            pending.take().forEach((k, usd) -> {
                pending.written(k);
                lost(k, usd, new IllegalStateException("shutdown"), "spend not written at shutdown");
            });
        }
    }
}
