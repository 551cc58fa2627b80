package dev.devloop.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Typed settings of api-gateway ({@code devloop.gateway.*}). */
@ConfigMapping(prefix = "devloop.gateway")
public interface GatewayConfig {

  /** Request bounds. */
  Limits limits();

  /** The agent-service hop. */
  AgentService agentService();

  /** The Redis store of rate-limit windows and idempotency records. */
  Redis redis();

  /** Redis probing. */
  interface Redis {
    /** How long the readiness check waits for PING. */
    @WithDefault("2s")
    Duration healthTimeout();
  }

  /** Rate limits per client and route. */
  RateLimit rateLimit();

  /** Idempotency-Key handling of POSTs. */
  Idempotency idempotency();

  /** Sliding-window rate limits; a caller gets the limit of its most privileged role. */
  interface RateLimit {
    /** The window length. */
    @WithDefault("60s")
    Duration window();

    /** Requests per window for a caller with none of the configured roles. */
    @WithDefault("60")
    int defaultLimit();

    /** Requests per window by role ({@code admin}, {@code operator}, {@code viewer}). */
    Map<String, Integer> perRole();
  }

  /** How long idempotency records live. */
  interface Idempotency {
    /** How long a first response is kept for replay. */
    @WithDefault("24h")
    Duration replayTtl();

    /** How long a claimed key blocks duplicates while its request runs (longer than the longest sync run). */
    @WithDefault("330s")
    Duration pendingTtl();
  }

  /** Bounds on what clients may send. */
  interface Limits {
    /** Largest run body accepted, in bytes (larger: 413 naming {@code body}). */
    @WithDefault("65536")
    int maxRunBodyBytes();

    /** Largest {@code input} string of a run, in UTF-8 bytes (larger: 400 naming {@code input}). */
    @WithDefault("32768")
    int maxInputBytes();
  }

  /** Readiness probing of agent-service. */
  interface AgentService {
    /** How long the readiness check waits for agent-service's {@code /q/health/ready}. */
    @WithDefault("2s")
    Duration readinessTimeout();
  }
}
