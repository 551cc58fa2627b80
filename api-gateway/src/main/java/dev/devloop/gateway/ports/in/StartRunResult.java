package dev.devloop.gateway.ports.in;

import dev.devloop.gateway.domain.DownstreamResponse;

/**
 * agent-service's answer to a run request.
 *
 * @param response the answer, verbatim
 * @param replayed whether it is the stored first answer of an earlier request with the same Idempotency-Key
 */
public record StartRunResult(DownstreamResponse response, boolean replayed) {}
