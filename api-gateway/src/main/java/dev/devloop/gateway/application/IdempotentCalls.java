package dev.devloop.gateway.application;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.domain.IdempotencyClaim;
import dev.devloop.gateway.ports.in.ForwardResult;
import dev.devloop.gateway.ports.out.IdempotencyStorePort;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * The Idempotency-Key protocol around one call: the first answer below 500 is stored and replayed, a
 * concurrent duplicate is a 409, the same key with a different request a 422; a failed call releases the key.
 */
public final class IdempotentCalls {
    private final IdempotencyStorePort store;
    private final Duration pendingTtl;
    private final Duration replayTtl;

    public IdempotentCalls(IdempotencyStorePort store, Duration pendingTtl, Duration replayTtl) {
        this.store = store;
        this.pendingTtl = pendingTtl;
        this.replayTtl = replayTtl;
    }

    /** Runs {@code call} under {@code key} (or directly when {@code key} is null). */
    public ForwardResult run(Caller caller, String key, String fingerprint, Supplier<DownstreamResponse> call) {
        if (key == null) {
            return new ForwardResult(call.get(), false);
        }
        IdempotencyClaim claim = store.claim(caller.tenant(), caller.subject(), key, fingerprint, pendingTtl);
        if (claim instanceof IdempotencyClaim.Replay replay) {
            return new ForwardResult(replay.response(), true);
        }
        if (claim instanceof IdempotencyClaim.InFlight) {
            throw problem(
                    Refusal.Reason.CONFLICT,
                    "idempotency-key-in-use",
                    "Conflict",
                    "a request with this Idempotency-Key is still being processed; retry later");
        }
        if (claim instanceof IdempotencyClaim.Mismatch) {
            throw problem(
                    Refusal.Reason.UNPROCESSABLE,
                    "idempotency-key-reused",
                    "Unprocessable request",
                    "this Idempotency-Key was already used for a different request");
        }
        DownstreamResponse response;
        try {
            response = call.get();
        } catch (RuntimeException e) {
            store.release(caller.tenant(), caller.subject(), key);
            throw e;
        }
        if (response.status() >= 500) {
            store.release(caller.tenant(), caller.subject(), key);
        } else {
            store.complete(caller.tenant(), caller.subject(), key, response, replayTtl);
        }
        return new ForwardResult(response, false);
    }

    /** SHA-256 over what makes two requests "the same": a description of the target and the exact body. */
    public static String fingerprint(String target, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((target + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static Refusal problem(Refusal.Reason reason, String slug, String title, String detail) {
        return new Refusal(reason, slug, title, detail, Headers.IDEMPOTENCY_KEY);
    }
}
