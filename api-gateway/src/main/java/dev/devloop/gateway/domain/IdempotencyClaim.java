package dev.devloop.gateway.domain;

/** What the idempotency store says about a key when a POST arrives with it. */
public sealed interface IdempotencyClaim {

    /** The key is new: this request owns it and must complete or release it. */
    record Claimed() implements IdempotencyClaim {}

    /** Another request with the same key is still running. */
    record InFlight() implements IdempotencyClaim {}

    /** The key was used with a different request (path, query or body). */
    record Mismatch() implements IdempotencyClaim {}

    /** The key's first response, to be replayed. */
    record Replay(DownstreamResponse response) implements IdempotencyClaim {}
}
