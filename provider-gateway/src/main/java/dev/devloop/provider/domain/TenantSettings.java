package dev.devloop.provider.domain;

import java.time.Duration;
import java.util.Map;

/**
 * A tenant's effective runtime settings: its stored overrides (canonical text, by setting key) over
 * the configured defaults.
 */
public record TenantSettings(boolean cacheEnabled, Duration cacheTtl) {

    /** Applies stored overrides (missing or unreadable ones keep the default) on top of {@code defaults}. */
    public static TenantSettings of(CacheSettings defaults, Map<String, String> overrides) {
        boolean enabled = defaults.enabled();
        Duration ttl = defaults.ttl();
        String e = overrides.get(RuntimeSetting.RESPONSE_CACHE_ENABLED.key());
        if ("true".equals(e) || "false".equals(e)) {
            enabled = Boolean.parseBoolean(e);
        }
        String t = overrides.get(RuntimeSetting.RESPONSE_CACHE_TTL_SECONDS.key());
        if (t != null) {
            try {
                long seconds = Long.parseLong(t);
                if (seconds >= 0 && seconds <= 86_400) {
                    ttl = Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException ignored) {
                // a value not written by us: keep the default
            }
        }
        return new TenantSettings(enabled, ttl);
    }

    /** The value of one setting, typed as the API shows it. */
    public Object value(RuntimeSetting setting) {
        return switch (setting) {
            case RESPONSE_CACHE_ENABLED -> cacheEnabled;
            case RESPONSE_CACHE_TTL_SECONDS -> cacheTtl.toSeconds();
        };
    }
}
