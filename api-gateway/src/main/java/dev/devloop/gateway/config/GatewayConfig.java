package dev.devloop.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Typed settings of api-gateway ({@code devloop.gateway.*}). */
@ConfigMapping(prefix = "devloop.gateway")
public interface GatewayConfig {

  /** Request bounds. */
  Limits limits();

  /** The agent-service hop. */
  AgentService agentService();

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
