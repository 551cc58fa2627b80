package dev.devloop.provider.domain;

/**
 * How a request may use the response cache. Deterministic requests (temperature 0) and requests
 * that opt in are cached; {@code Cache-Control: no-cache} skips the lookup, {@code no-store} skips both.
 */
public enum CacheMode {
    /** Use the cache only when the request is deterministic (temperature 0). */
    AUTO,
    /** The caller opted in: cache even if the request is not deterministic. */
    FORCE,
    /** Do not read the cache; store the fresh answer when cacheable. */
    REFRESH,
    /** Neither read nor write the cache. */
    NO_STORE;

    /** Parses the request's cache headers: {@code Cache-Control} and the opt-in flag. */
    public static CacheMode of(String cacheControl, String optIn) {
        String cc = cacheControl == null ? "" : cacheControl.toLowerCase(java.util.Locale.ROOT);
        if (cc.contains("no-store")) {
            return NO_STORE;
        }
        if (cc.contains("no-cache")) {
            return REFRESH;
        }
        return "true".equalsIgnoreCase(optIn == null ? null : optIn.trim()) ? FORCE : AUTO;
    }
}
