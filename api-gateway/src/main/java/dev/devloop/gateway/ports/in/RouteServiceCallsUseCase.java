package dev.devloop.gateway.ports.in;

import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.domain.HopRequest;
import dev.devloop.gateway.domain.StreamedAnswer;
import java.util.concurrent.CompletionStage;

/** Incoming port: the knowledge, tool, provider and agent routes the gateway forwards under {@code /api/v1}. */
public interface RouteServiceCallsUseCase {

    /**
     * Forwards {@code request} to the service in the caller's tenant's cell, with the tenant from the token.
     * A POST with an {@code idempotencyKey} is answered once and replayed after.
     */
    ForwardResult forward(Caller caller, HopRequest request, String idempotencyKey);

    /**
     * Forwards a call without an Idempotency-Key (a read) like {@link #forward}, without blocking the calling
     * thread; the stage fails with the exceptions {@link #forward} throws.
     */
    CompletionStage<DownstreamResponse> forwardAsync(Caller caller, HopRequest request);

    /**
     * Opens {@code request} as a stream to the service in the caller's tenant's cell (tenant from the token);
     * the caller reads and closes the answer. No idempotency: a stream is not replayed.
     */
    StreamedAnswer stream(Caller caller, HopRequest request);
}
