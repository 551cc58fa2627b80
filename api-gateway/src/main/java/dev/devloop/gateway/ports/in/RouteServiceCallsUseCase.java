package dev.devloop.gateway.ports.in;

import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.HopRequest;

/** Incoming port: the knowledge, tool, provider and agent routes the gateway forwards under {@code /api/v1}. */
public interface RouteServiceCallsUseCase {

  /**
   * Forwards {@code request} to the service in the caller's tenant's cell, with the tenant from the token.
   * A POST with an {@code idempotencyKey} is answered once and replayed after.
   */
  ForwardResult forward(Caller caller, HopRequest request, String idempotencyKey);
}
