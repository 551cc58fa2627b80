package dev.devloop.provider.ports.out;

import dev.devloop.contracts.provider.GenerateResponse;
import java.time.Duration;
import java.util.Optional;

/** Outgoing port to the response cache; keys already carry the tenant. Failures read as misses. */
public interface ResponseCachePort {

    Optional<GenerateResponse> get(String tenant, String key);

    void put(String tenant, String key, GenerateResponse response, Duration ttl);

    /** Drops every cached answer of the tenant; returns how many entries went. Failures propagate. */
    long clear(String tenant);
}
