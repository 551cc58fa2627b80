package dev.devloop.gateway.adapters.out.redis;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.domain.IdempotencyClaim;
import dev.devloop.gateway.ports.out.IdempotencyStorePort;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import org.jboss.logging.Logger;

/**
 * Idempotency records as Redis hashes under {@code gw:idem:{tenant}:{subject}:{sha256(key)}}; the
 * claim is one Lua script, so two concurrent requests with one key can never both proceed.
 */
@ApplicationScoped
public class RedisIdempotencyStore implements IdempotencyStorePort {
    private static final Logger LOG = Logger.getLogger(RedisIdempotencyStore.class);

    static final String KEY_PREFIX = "gw:idem:";
    private static final String CLAIM = """
      local h = redis.call('HGET', KEYS[1], 'hash')
      if not h then
        redis.call('HSET', KEYS[1], 'state', 'pending', 'hash', ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return {'claimed'}
      end
      if h ~= ARGV[1] then return {'mismatch'} end
      if redis.call('HGET', KEYS[1], 'state') ~= 'done' then return {'in-flight'} end
      local v = redis.call('HMGET', KEYS[1], 'status', 'ctype', 'location', 'body')
      return {'replay', v[1] or '0', v[2] or '', v[3] or '', v[4] or ''}
      """;
    private static final String COMPLETE = """
      if redis.call('HGET', KEYS[1], 'state') ~= 'pending' then return 0 end
      redis.call('HSET', KEYS[1], 'state', 'done', 'status', ARGV[1], 'ctype', ARGV[2], 'location', ARGV[3], 'body', ARGV[4])
      redis.call('PEXPIRE', KEYS[1], ARGV[5])
      return 1
      """;
    private static final String RELEASE = """
      if redis.call('HGET', KEYS[1], 'state') == 'pending' then return redis.call('DEL', KEYS[1]) end
      return 0
      """;

    private final RedisDataSource redis;

    public RedisIdempotencyStore(RedisDataSource redis) {
        this.redis = redis;
    }

    @Override
    public IdempotencyClaim claim(String tenant, String subject, String key, String requestHash, Duration pendingTtl) {
        Response answer;
        try {
            answer = redis.execute(
                    "EVAL",
                    CLAIM,
                    "1",
                    redisKey(tenant, subject, key),
                    requestHash,
                    Long.toString(pendingTtl.toMillis()));
        } catch (RuntimeException e) {
            Log.warnf("idempotency store unavailable: %s", e.getMessage());
            throw ProblemException.unavailable(
                    "idempotency-store-unavailable",
                    "the idempotency store (Redis) is unavailable; retry later with the same Idempotency-Key");
        }
        return switch (answer.get(0).toString()) {
            case "claimed" -> new IdempotencyClaim.Claimed();
            case "mismatch" -> new IdempotencyClaim.Mismatch();
            case "in-flight" -> new IdempotencyClaim.InFlight();
            default ->
                new IdempotencyClaim.Replay(new DownstreamResponse(
                        answer.get(1).toInteger(),
                        emptyToNull(answer.get(2).toString()),
                        emptyToNull(answer.get(3).toString()),
                        Base64.getDecoder().decode(answer.get(4).toString())));
        };
    }

    @Override
    public void complete(String tenant, String subject, String key, DownstreamResponse response, Duration replayTtl) {
        try {
            redis.execute(
                    "EVAL",
                    COMPLETE,
                    "1",
                    redisKey(tenant, subject, key),
                    Integer.toString(response.status()),
                    nullToEmpty(response.contentType()),
                    nullToEmpty(response.location()),
                    Base64.getEncoder().encodeToString(response.body()),
                    Long.toString(replayTtl.toMillis()));
        } catch (RuntimeException e) {
            LogFields.of("tenant", tenant, "error", e.getMessage()).warn(LOG, "idempotency record not stored");
        }
    }

    @Override
    public void release(String tenant, String subject, String key) {
        try {
            redis.execute("EVAL", RELEASE, "1", redisKey(tenant, subject, key));
        } catch (RuntimeException e) {
            LogFields.of("tenant", tenant, "error", e.getMessage()).warn(LOG, "idempotency claim not released");
        }
    }

    /** The client's key is hashed: bounded, and safe inside a Redis key whatever it contains. */
    static String redisKey(String tenant, String subject, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return KEY_PREFIX + tenant + ":" + subject + ":" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
