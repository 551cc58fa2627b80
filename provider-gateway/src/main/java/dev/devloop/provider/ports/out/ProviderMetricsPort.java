package dev.devloop.provider.ports.out;

import dev.devloop.contracts.provider.Usage;
import java.time.Duration;

/** Outgoing port recording per-call metrics (tokens, latency, outcome). */
public interface ProviderMetricsPort {

  /** Records one finished call; {@code outcome} is {@code success} or a failure kind in lower case. */
  void recordCall(String provider, String model, String outcome, Duration elapsed, Usage usage);

  /** Records one response-cache decision: {@code hit}, {@code miss} or {@code bypass}. */
  void recordCache(String provider, String model, String result);
}
