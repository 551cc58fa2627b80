package dev.devloop.gateway.ports.in;

import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.RateLimitDecision;

/** Incoming port: may this caller use this route now? */
public interface RateLimitUseCase {

  /** Counts the request and returns the decision with the numbers for the RateLimit headers. */
  RateLimitDecision check(Caller caller, String route);
}
