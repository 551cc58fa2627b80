package dev.devloop.provider.ports.in;

/** Drops a tenant's cached answers (tool-service's {@code clear_cache} calls this through {@code DELETE /v1/cache}). */
public interface ClearResponseCacheUseCase {

    /** Returns how many cached answers were dropped. */
    long clear(String tenant);
}
