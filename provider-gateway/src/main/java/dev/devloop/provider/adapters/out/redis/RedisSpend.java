package dev.devloop.provider.adapters.out.redis;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.ports.out.SpendPort;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Tenant spend per month in Redis: {@code devloop:provider:spend:{tenant}:{yyyy-MM}}, a float
 * incremented atomically ({@code INCRBYFLOAT}) and kept 40 days. Bounded calls; a failed read
 * counts as 0 (budgets fail open, logged) so a Redis outage never stops the gateway.
 */
@ApplicationScoped
public class RedisSpend implements SpendPort {
    private static final Logger LOG = Logger.getLogger(RedisSpend.class);

    static final String PREFIX = "devloop:provider:spend:";
    private static final Duration KEEP = Duration.ofDays(40);

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final Duration timeout;

    public RedisSpend(ReactiveRedisDataSource redis, ProviderConfig config) {
        this.redis = redis;
        this.values = redis.value(String.class, String.class);
        this.timeout = config.cache().timeout();
    }

    public static String key(String tenant, String period) {
        return PREFIX + tenant + ":" + period;
    }

    @Override
    public double spent(String tenant, String period) {
        try {
            String raw = values.get(key(tenant, period)).await().atMost(timeout);
            return raw == null ? 0 : Double.parseDouble(raw);
        } catch (RuntimeException e) {
            LogFields.of("tenant", tenant, "error", e.getClass().getSimpleName())
                    .warn(LOG, "spend lookup failed; budget check skipped");
            return 0;
        }
    }

    @Override
    public void add(String tenant, String period, double usd) {
        if (usd <= 0) {
            return;
        }
        try {
            increment(key(tenant, period), usd).await().atMost(timeout);
        } catch (RuntimeException e) {
            LogFields.of("tenant", tenant, "error", e.getClass().getSimpleName())
                    .warn(LOG, "spend update failed");
        }
    }

    @Override
    public void addLater(String tenant, String period, double usd) {
        if (usd <= 0) {
            return;
        }
        increment(key(tenant, period), usd)
                .ifNoItem()
                .after(timeout)
                .fail()
                .subscribe()
                .with(ok -> {}, failure -> LogFields.of(
                                "tenant", tenant, "error", failure.getClass().getSimpleName())
                        .warn(LOG, "spend update failed"));
    }

    /**
     * One round trip: INCRBYFLOAT and then EXPIRE pipelined, in that order, on one connection (the EXPIRE must follow
     * the increment that may create the key); before, two sequential waits held the worker for two round trips.
     */
    private Uni<Void> increment(String k, double usd) {
        return redis.withConnection(c -> Uni.combine()
                .all()
                .unis(
                        c.value(String.class, String.class).incrbyfloat(k, usd),
                        c.key(String.class).expire(k, KEEP))
                .discardItems());
    }
}
