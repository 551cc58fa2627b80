package dev.devloop.gateway.ports.out;

import dev.devloop.gateway.domain.RateLimitDecision;
import java.time.Duration;

/** Outgoing port: an atomic sliding-window counter shared by every gateway instance. */
public interface RateLimitPort {

  /** Counts one request against the window of {@code tenant}/{@code subject}/{@code route} when there is room. */
  RateLimitDecision acquire(String tenant, String subject, String route, int limit, Duration window);
}
