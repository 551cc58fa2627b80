package dev.devloop.gateway.ports.in;

import dev.devloop.gateway.domain.DownstreamResponse;

/**
 * A sibling service's answer to a forwarded call.
 *
 * @param response the answer, verbatim
 * @param replayed whether it is the stored first answer of an earlier request with the same Idempotency-Key
 */
public record ForwardResult(DownstreamResponse response, boolean replayed) {}
