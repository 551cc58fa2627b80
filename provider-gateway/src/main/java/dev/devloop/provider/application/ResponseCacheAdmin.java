package dev.devloop.provider.application;

import dev.devloop.provider.ports.in.ClearResponseCacheUseCase;
import dev.devloop.provider.ports.out.ResponseCachePort;

/** Clears one tenant's response cache; other tenants' entries are untouched (keys carry the tenant). */
public final class ResponseCacheAdmin implements ClearResponseCacheUseCase {
    private final ResponseCachePort cache;

    public ResponseCacheAdmin(ResponseCachePort cache) {
        this.cache = cache;
    }

    @Override
    public long clear(String tenant) {
        return cache.clear(tenant);
    }
}
