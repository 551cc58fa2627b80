package dev.devloop.tools.adapters.out.redis;

import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.TenantQuotaPort;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Fixed-window call counters in Redis: {@code devloop:tools:quota:{tenant}:m:<epoch minute>} and
 * {@code …:d:<epoch day>}, both incremented and given their expiry in one Lua script, so a crash between
 * the two steps can never leave a counter without expiry. The braces keep a tenant's keys in one slot.
 */
@ApplicationScoped
class RedisTenantQuota implements TenantQuotaPort {
    private static final String SCRIPT = """
      local m = redis.call('INCR', KEYS[1])
      if m == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
      local d = redis.call('INCR', KEYS[2])
      if d == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
      return {m, d}""";
    private final RedisDataSource redis;

    RedisTenantQuota(RedisDataSource redis) {
        this.redis = redis;
    }

    @Override
    public Usage consume(String tenant, Instant now) {
        long minute = now.getEpochSecond() / 60;
        long day = now.getEpochSecond() / 86_400;
        String prefix = "devloop:tools:quota:{" + tenant + "}:";
        try {
            Response counts = redis.execute(
                    "EVAL", SCRIPT, "2", prefix + "m:" + minute, prefix + "d:" + day, "120000", "172800000");
            return new Usage(counts.get(0).toLong(), counts.get(1).toLong());
        } catch (RuntimeException e) {
            throw new DownstreamException(
                    "the quota store is unavailable: " + e.getClass().getSimpleName(), e);
        }
    }
}
