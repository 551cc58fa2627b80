package dev.devloop.gateway.ports.out;

import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.domain.IdempotencyClaim;
import java.time.Duration;

/** Outgoing port: idempotency records scoped by tenant and subject, claimed atomically. */
public interface IdempotencyStorePort {

    /** Claims {@code key} for a request whose fingerprint is {@code requestHash}, or reports why not. */
    IdempotencyClaim claim(String tenant, String subject, String key, String requestHash, Duration pendingTtl);

    /** Stores the first response of a claimed key so later requests replay it. */
    void complete(String tenant, String subject, String key, DownstreamResponse response, Duration replayTtl);

    /** Gives up a claim (the request failed transiently) so the client may retry with the same key. */
    void release(String tenant, String subject, String key);
}
