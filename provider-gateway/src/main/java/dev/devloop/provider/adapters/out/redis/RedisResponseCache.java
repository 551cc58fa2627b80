package dev.devloop.provider.adapters.out.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.ports.out.ResponseCachePort;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.keys.ReactiveKeyScanCursor;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Response cache in Redis under {@code devloop:provider:cache:{tenant}:{sha256}} with a TTL. Every
 * Redis call is bounded; a slow or failed Redis reads as a miss and never fails a generation.
 */
@ApplicationScoped
public class RedisResponseCache implements ResponseCachePort {
    private static final Logger LOG = Logger.getLogger(RedisResponseCache.class);

    static final String PREFIX = "devloop:provider:cache:";

    /** Bounds one clear: SCAN batches of this size, and at most this many batches. */
    static final int SCAN_BATCH = 500;

    static final int MAX_BATCHES = 2_000;

    private final ReactiveValueCommands<String, String> values;
    private final ReactiveKeyCommands<String> keys;
    private final ObjectMapper json;
    private final Duration timeout;
    private final int maxEntryBytes;

    public RedisResponseCache(ReactiveRedisDataSource redis, ObjectMapper json, ProviderConfig config) {
        this.values = redis.value(String.class, String.class);
        this.keys = redis.key(String.class);
        this.json = json;
        this.timeout = config.cache().timeout();
        this.maxEntryBytes = config.cache().maxEntryBytes();
    }

    static String key(String tenant, String hash) {
        return PREFIX + tenant + ":" + hash;
    }

    @Override
    public Optional<GenerateResponse> get(String tenant, String hash) {
        try {
            String raw = values.get(key(tenant, hash)).await().atMost(timeout);
            return raw == null ? Optional.empty() : Optional.of(json.readValue(raw, GenerateResponse.class));
        } catch (JsonProcessingException e) {
            LogFields.of("tenant", tenant, "key", hash).warn(LOG, "cache entry unreadable; treating as a miss");
            return Optional.empty();
        } catch (RuntimeException e) {
            LogFields.of("tenant", tenant, "error", e.getClass().getSimpleName())
                    .warn(LOG, "cache lookup failed; treating as a miss");
            return Optional.empty();
        }
    }

    @Override
    public void put(String tenant, String hash, GenerateResponse response, Duration ttl) {
        try {
            String raw = json.writeValueAsString(response);
            if (raw.getBytes(StandardCharsets.UTF_8).length > maxEntryBytes) {
                LogFields.of("maxEntryBytes", maxEntryBytes)
                        .debug(LOG, "answer not cached: larger than the entry limit");
                return;
            }
            values.set(key(tenant, hash), raw, new SetArgs().px(ttl)).await().atMost(timeout);
        } catch (JsonProcessingException | RuntimeException e) {
            LogFields.of("tenant", tenant, "error", e.getClass().getSimpleName())
                    .warn(LOG, "cache store failed");
        }
    }

    @Override
    public long clear(String tenant) {
        ReactiveKeyScanCursor<String> cursor =
                keys.scan(new KeyScanArgs().match(PREFIX + tenant + ":*").count(SCAN_BATCH));
        long dropped = 0;
        for (int batch = 0; cursor.hasNext() && batch < MAX_BATCHES; batch++) {
            Set<String> found = cursor.next().await().atMost(timeout.multipliedBy(4));
            if (!found.isEmpty()) {
                dropped += keys.del(found.toArray(String[]::new)).await().atMost(timeout.multipliedBy(4));
            }
        }
        return dropped;
    }
}
