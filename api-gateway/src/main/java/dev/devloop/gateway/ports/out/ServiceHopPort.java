package dev.devloop.gateway.ports.out;

import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.domain.HopRequest;

/** Outgoing port: one guarded HTTP call to a sibling service, always for exactly one tenant. */
public interface ServiceHopPort {

  /**
   * Sends {@code request} to {@code baseUrl} with {@code tenant} as {@code X-Devloop-Tenant} and returns the
   * answer verbatim; an unreachable, open-circuit, saturated or too-slow service is a problem exception.
   */
  DownstreamResponse send(String baseUrl, String tenant, HopRequest request);
}
