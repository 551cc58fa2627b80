package dev.devloop.gateway.adapters.out.redis;

import dev.devloop.gateway.ports.out.DeliveryClaimsPort;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * GitHub delivery ids under {@code gw:gh:{tenant}:{deliveryId}}: {@code pending} while one request publishes
 * it, {@code done} for the replay window once Kafka acknowledged it.
 */
@ApplicationScoped
public class RedisDeliveryClaims implements DeliveryClaimsPort {
    static final String KEY_PREFIX = "gw:gh:";
    private static final String CLAIM = """
      if redis.call('SET', KEYS[1], 'pending', 'NX', 'PX', ARGV[1]) then return 'claimed' end
      return redis.call('GET', KEYS[1]) or 'pending'
      """;
    private static final String RELEASE = """
      if redis.call('GET', KEYS[1]) == 'pending' then return redis.call('DEL', KEYS[1]) end
      return 0
      """;

    private final RedisDataSource redis;

    public RedisDeliveryClaims(RedisDataSource redis) {
        this.redis = redis;
    }

    @Override
    public Claim claim(String tenant, String deliveryId, Duration pendingTtl) {
        Response answer;
        try {
            answer = redis.execute("EVAL", CLAIM, "1", key(tenant, deliveryId), Long.toString(pendingTtl.toMillis()));
        } catch (RuntimeException e) {
            throw new Unavailable("delivery claims (Redis) unavailable: " + e.getMessage(), e);
        }
        return switch (answer.toString()) {
            case "claimed" -> Claim.CLAIMED;
            case "done" -> Claim.DONE;
            default -> Claim.IN_FLIGHT;
        };
    }

    @Override
    public void complete(String tenant, String deliveryId, Duration window) {
        try {
            redis.execute("SET", key(tenant, deliveryId), "done", "PX", Long.toString(window.toMillis()));
        } catch (RuntimeException e) {
            // published already; the consumer's idempotency by event id covers a redelivery
            Log.warnf("github delivery not marked done tenant=%s delivery=%s: %s", tenant, deliveryId, e.getMessage());
        }
    }

    @Override
    public void release(String tenant, String deliveryId) {
        try {
            redis.execute("EVAL", RELEASE, "1", key(tenant, deliveryId));
        } catch (RuntimeException e) {
            Log.warnf(
                    "github delivery claim not released tenant=%s delivery=%s: %s", tenant, deliveryId, e.getMessage());
        }
    }

    static String key(String tenant, String deliveryId) {
        return KEY_PREFIX + tenant + ":" + deliveryId;
    }
}
