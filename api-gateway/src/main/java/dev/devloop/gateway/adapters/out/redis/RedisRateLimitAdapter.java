package dev.devloop.gateway.adapters.out.redis;

import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.gateway.domain.RateLimitDecision;
import dev.devloop.gateway.domain.RateLimitLease;
import dev.devloop.gateway.ports.out.RateLimitPort;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sliding-window log in a Redis sorted set per tenant, subject and route, checked and updated in one
 * Lua script (atomic across gateway instances; the clock is the Redis server's). The script goes by its SHA-1
 * ({@code EVALSHA}, one round trip of a few dozen bytes); a Redis that does not know it yet (restarted, flushed)
 * answers {@code NOSCRIPT} and gets it once with {@code EVAL}, which also caches it there. The fast path uses the
 * reactive client (no thread waits for Redis); blocking callers use the same script through the blocking client.
 */
@ApplicationScoped
public class RedisRateLimitAdapter implements RateLimitPort {
    static final String KEY_PREFIX = "gw:rl:";
    /**
     * The one script of both kinds of call: counts up to ARGV[4] requests at once against the window (1: a single
     * request; more: a lease), as many as the window has room for, and answers {granted, room left, reset ms}. A
     * single request is allowed when it was granted.
     */
    static final String SCRIPT = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local window = tonumber(ARGV[1])
      local limit = tonumber(ARGV[2])
      local wanted = tonumber(ARGV[4])
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
      local count = redis.call('ZCARD', KEYS[1])
      local granted = math.max(0, math.min(wanted, limit - count))
      if granted > 0 then
        local members = {}
        for i = 1, granted do
          members[2 * i - 1] = now
          members[2 * i] = ARGV[3] .. ':' .. i
        end
        redis.call('ZADD', KEYS[1], unpack(members))
        count = count + granted
      end
      redis.call('PEXPIRE', KEYS[1], window)
      local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
      local reset = window
      if oldest[2] then reset = tonumber(oldest[2]) + window - now end
      return {granted, limit - count, reset}
      """;

    static final String SCRIPT_SHA = sha1(SCRIPT);

    private final RedisDataSource redis;
    private final ReactiveRedisDataSource reactive;
    /** Members of the window log: unique per instance (random prefix) and request (counter), no SecureRandom per call. */
    private final String memberPrefix =
            Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";

    private final AtomicLong sequence = new AtomicLong();

    public RedisRateLimitAdapter(RedisDataSource redis, ReactiveRedisDataSource reactive) {
        this.redis = redis;
        this.reactive = reactive;
    }

    @Override
    public RateLimitDecision acquire(String tenant, String subject, String route, int limit, Duration window) {
        String[] args = args(tenant, subject, route, limit, window, 1);
        try {
            Response answer;
            try {
                answer = redis.execute("EVALSHA", args);
            } catch (RuntimeException e) {
                if (!noScript(e)) {
                    throw e;
                }
                answer = redis.execute("EVAL", withScript(args));
            }
            return decision(answer, limit);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public CompletionStage<RateLimitDecision> acquireAsync(
            String tenant, String subject, String route, int limit, Duration window) {
        return evalAsync(args(tenant, subject, route, limit, window, 1))
                .map(answer -> decision(answer, limit))
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<RateLimitLease> leaseAsync(
            String tenant, String subject, String route, int limit, Duration window, int tokens) {
        return evalAsync(args(tenant, subject, route, limit, window, tokens))
                .map(answer -> new RateLimitLease(answer.get(0).toInteger(), decision(answer, limit)))
                .subscribeAsCompletionStage();
    }

    /** EVALSHA of {@code args} (whose first is the script's SHA-1), EVAL of the script when Redis lacks it. */
    private io.smallrye.mutiny.Uni<Response> evalAsync(String[] args) {
        return reactive.execute("EVALSHA", args)
                .onFailure(RedisRateLimitAdapter::noScript)
                .recoverWithUni(() -> reactive.execute("EVAL", withScript(args)))
                .onFailure()
                .transform(RedisRateLimitAdapter::unavailable);
    }

    private String[] args(String tenant, String subject, String route, int limit, Duration window, int tokens) {
        String key = KEY_PREFIX + tenant + ":" + subject + ":" + route;
        return new String[] {
            SCRIPT_SHA,
            "1",
            key,
            Long.toString(window.toMillis()),
            Integer.toString(limit),
            memberPrefix + sequence.incrementAndGet(),
            Integer.toString(tokens)
        };
    }

    /** The EVALSHA arguments with the script itself in place of its SHA-1. */
    private static String[] withScript(String[] args) {
        String[] eval = args.clone();
        eval[0] = SCRIPT;
        return eval;
    }

    private static RateLimitDecision decision(Response answer, int limit) {
        boolean allowed = answer.get(0).toLong() >= 1L;
        int remaining = answer.get(1).toInteger();
        long resetMillis = answer.get(2).toLong();
        return new RateLimitDecision(allowed, limit, remaining, (resetMillis + 999) / 1000);
    }

    private static boolean noScript(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }

    private static ProblemException unavailable(Throwable e) {
        if (e instanceof ProblemException problem) {
            return problem;
        }
        Log.warnf("rate limiter unavailable: %s", e.getMessage());
        return ProblemException.unavailable(
                "rate-limiter-unavailable",
                "the rate limiter (Redis) is unavailable; requests are refused until it is back");
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }
}
