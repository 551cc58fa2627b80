package dev.devloop.gateway.adapters.out.redis;

import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.gateway.domain.RateLimitDecision;
import dev.devloop.gateway.ports.out.RateLimitPort;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/**
 * Sliding-window log in a Redis sorted set per tenant, subject and route, checked and updated in one
 * Lua script (atomic across gateway instances; the clock is the Redis server's).
 */
@ApplicationScoped
public class RedisRateLimitAdapter implements RateLimitPort {
  static final String KEY_PREFIX = "gw:rl:";
  private static final String SCRIPT = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local window = tonumber(ARGV[1])
      local limit = tonumber(ARGV[2])
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
      local count = redis.call('ZCARD', KEYS[1])
      local allowed = 0
      if count < limit then
        redis.call('ZADD', KEYS[1], now, ARGV[3])
        count = count + 1
        allowed = 1
      end
      redis.call('PEXPIRE', KEYS[1], window)
      local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
      local reset = window
      if oldest[2] then reset = tonumber(oldest[2]) + window - now end
      return {allowed, limit - count, reset}
      """;

  private final RedisDataSource redis;

  public RedisRateLimitAdapter(RedisDataSource redis) {
    this.redis = redis;
  }

  @Override
  public RateLimitDecision acquire(String tenant, String subject, String route, int limit, Duration window) {
    String key = KEY_PREFIX + tenant + ":" + subject + ":" + route;
    try {
      Response answer = redis.execute("EVAL", SCRIPT, "1", key, Long.toString(window.toMillis()),
          Integer.toString(limit), UUID.randomUUID().toString());
      boolean allowed = answer.get(0).toLong() == 1L;
      int remaining = answer.get(1).toInteger();
      long resetMillis = answer.get(2).toLong();
      return new RateLimitDecision(allowed, limit, remaining, (resetMillis + 999) / 1000);
    } catch (RuntimeException e) {
      Log.warnf("rate limiter unavailable: %s", e.getMessage());
      throw ProblemException.unavailable("rate-limiter-unavailable",
          "the rate limiter (Redis) is unavailable; requests are refused until it is back");
    }
  }
}
