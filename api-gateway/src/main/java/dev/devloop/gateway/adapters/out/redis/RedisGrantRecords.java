package dev.devloop.gateway.adapters.out.redis;

import dev.devloop.gateway.domain.GrantRecord;
import dev.devloop.gateway.ports.out.GrantRecordsPort;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Grant records as hashes {@code gw:grants:{tenant}:{id}} that expire with their grant, indexed per tenant by the
 * sorted set {@code gw:grants:{tenant}} (score: expiry in ms), which itself expires with the tenant's last grant.
 * The braces are a Redis Cluster hash tag: a tenant's keys share a slot, so the scripts may touch them together.
 */
@ApplicationScoped
public class RedisGrantRecords implements GrantRecordsPort {
    static final String KEY_PREFIX = "gw:grants:";
    private static final String SAVE = """
      redis.call('HSET', KEYS[1], unpack(ARGV, 4))
      redis.call('PEXPIREAT', KEYS[1], ARGV[1])
      redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
      redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[3])
      local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
      redis.call('PEXPIREAT', KEYS[2], last[2])
      return 1
      """;
    private static final String REVOKE = """
      if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end
      if redis.call('HEXISTS', KEYS[1], 'revokedAt') == 1 then return 'already' end
      redis.call('HSET', KEYS[1], 'revokedAt', ARGV[1], 'revokedBy', ARGV[2])
      return 'revoked'
      """;

    private final RedisDataSource redis;

    public RedisGrantRecords(RedisDataSource redis) {
        this.redis = redis;
    }

    @Override
    public void save(GrantRecord record) {
        List<String> args = new ArrayList<>(List.of(
                "EVAL",
                SAVE,
                "2",
                recordKey(record.tenant(), record.id()),
                indexKey(record.tenant()),
                Long.toString(record.expiresAt().toEpochMilli()),
                record.id(),
                Long.toString(record.issuedAt().toEpochMilli())));
        args.addAll(List.of(
                "id", record.id(),
                "subject", record.subject(),
                "topic", record.topic(),
                "issuedBy", record.issuedBy(),
                "issuedAt", record.issuedAt().toString(),
                "expiresAt", record.expiresAt().toString()));
        run(() -> redis.execute(args.get(0), args.subList(1, args.size()).toArray(String[]::new)));
    }

    @Override
    public Optional<GrantRecord> find(String tenant, String id) {
        Map<String, String> fields = run(() -> redis.hash(String.class).hgetall(recordKey(tenant, id)));
        return fields == null || fields.isEmpty() ? Optional.empty() : Optional.of(record(tenant, fields));
    }

    @Override
    public List<GrantRecord> list(String tenant, Instant now, int offset, int limit) {
        Response ids = run(() -> redis.execute(
                "ZRANGEBYSCORE",
                indexKey(tenant),
                "(" + now.toEpochMilli(),
                "+inf",
                "LIMIT",
                Integer.toString(offset),
                Integer.toString(limit)));
        List<GrantRecord> records = new ArrayList<>();
        if (ids == null) {
            return records;
        }
        for (Response id : ids) {
            // a record may expire between the index read and its own
            find(tenant, id.toString()).ifPresent(records::add);
        }
        return records;
    }

    @Override
    public boolean markRevoked(String tenant, String id, Instant at, String by) {
        Response answer = run(() -> redis.execute("EVAL", REVOKE, "1", recordKey(tenant, id), at.toString(), by));
        return "revoked".equals(answer.toString());
    }

    private static GrantRecord record(String tenant, Map<String, String> fields) {
        String revokedAt = fields.get("revokedAt");
        return new GrantRecord(
                fields.get("id"),
                tenant,
                fields.get("subject"),
                fields.get("topic"),
                fields.get("issuedBy"),
                Instant.parse(fields.get("issuedAt")),
                Instant.parse(fields.get("expiresAt")),
                revokedAt == null ? null : Instant.parse(revokedAt),
                fields.get("revokedBy"));
    }

    private static <T> T run(java.util.function.Supplier<T> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            throw new Unavailable("grant records (Redis) unavailable: " + e.getMessage(), e);
        }
    }

    static String indexKey(String tenant) {
        return KEY_PREFIX + "{" + tenant + "}";
    }

    static String recordKey(String tenant, String id) {
        return indexKey(tenant) + ":" + id;
    }
}
