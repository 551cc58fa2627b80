package dev.devloop.provider.adapters.out.redis;

import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.domain.RuntimeSetting;
import dev.devloop.provider.ports.out.TenantSettingsPort;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-tenant runtime settings in Redis, one string per setting:
 * {@code devloop:provider:settings:{tenant}:{setting}} (no expiry). A change is one {@code SET … GET},
 * so the value it replaced comes back atomically even when replicas write at once; a read is one
 * {@code MGET} of the known settings. Calls are bounded by {@code devloop.provider.cache.timeout};
 * failures propagate (the caller decides: defaults on the generate path, 503 on the API).
 */
@ApplicationScoped
public class RedisTenantSettings implements TenantSettingsPort {
    static final String PREFIX = "devloop:provider:settings:";

    private final ReactiveValueCommands<String, String> values;
    private final Duration timeout;

    public RedisTenantSettings(ReactiveRedisDataSource redis, ProviderConfig config) {
        this.values = redis.value(String.class, String.class);
        this.timeout = config.cache().timeout();
    }

    public static String key(String tenant, String setting) {
        return PREFIX + tenant + ":" + setting;
    }

    @Override
    public Map<String, String> load(String tenant) {
        List<String> settings = RuntimeSetting.keys();
        String[] keys = settings.stream().map(s -> key(tenant, s)).toArray(String[]::new);
        Map<String, String> raw = values.mget(keys).await().atMost(timeout);
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : settings) {
            String v = raw.get(key(tenant, s));
            if (v != null) {
                out.put(s, v);
            }
        }
        return out;
    }

    @Override
    public Optional<String> put(String tenant, String setting, String value) {
        return Optional.ofNullable(
                values.setGet(key(tenant, setting), value).await().atMost(timeout));
    }
}
