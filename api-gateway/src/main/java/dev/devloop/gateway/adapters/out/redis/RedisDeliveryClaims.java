package dev.devloop.gateway.adapters.out.redis;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.gateway.ports.out.DeliveryClaimsPort;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * GitHub delivery ids under {@code gw:gh:{tenant}:{deliveryId}}: {@code pending} while one request publishes
 * it, {@code done} for the replay window once Kafka acknowledged it.
 */
@ApplicationScoped
public class RedisDeliveryClaims implements DeliveryClaimsPort {
    private static final Logger LOG = Logger.getLogger(RedisDeliveryClaims.class);

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
            LogFields.of("tenant", tenant, "deliveryId", deliveryId, "error", e.getMessage())
                    .warn(LOG, "github delivery not marked done");
        }
    }

    @Override
    public void release(String tenant, String deliveryId) {
        try {
            redis.execute("EVAL", RELEASE, "1", key(tenant, deliveryId));
        } catch (RuntimeException e) {
            LogFields.of("tenant", tenant, "deliveryId", deliveryId, "error", e.getMessage())
                    .warn(LOG, "github delivery claim not released");
        }
    }

    static String key(String tenant, String deliveryId) {
        return KEY_PREFIX + tenant + ":" + deliveryId;
    }
}
