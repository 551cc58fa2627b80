package dev.devloop.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed settings of agent-service. */
@ConfigMapping(prefix = "devloop.agent")
public interface AgentServiceConfig {
  /** MongoDB database holding agents, runs and handoffs. */
  @WithDefault("devloop_agents")
  String database();

  /** Longest task input accepted, in characters. */
  @WithDefault("32768")
  int maxInputChars();

  /** Turn ceiling applied over every agent definition's own limit. */
  @WithDefault("25")
  int hardMaxTurns();

  /** Longest tool result fed back to the model, in characters; the rest is cut. */
  @WithDefault("16384")
  int maxToolResultChars();

  /** How long a running run stays owned by its runner without a new step before another may resume it. */
  @WithDefault("PT5M")
  java.time.Duration runLease();

  /** This replica's identity in run leases; defaults to host name and HTTP port, stable across restarts. */
  java.util.Optional<String> instanceId();

  /** How often abandoned runs are looked for. */
  @WithDefault("30s")
  String recoveryInterval();

  /** Classpath resource with the guardrail policies and dangerous-output patterns. */
  @WithDefault("safety.json")
  String safetyResource();

  /** Tripwire actions and anomaly detection. */
  Tripwires tripwires();

  /** Tripwire settings; each action is STOP or LOG. */
  interface Tripwires {
    @WithDefault("STOP")
    String executionTime();

    @WithDefault("STOP")
    String tokens();

    @WithDefault("STOP")
    String dangerousOutput();

    /** Anomalies are statistical hints, so they are logged and published unless told to stop. */
    @WithDefault("LOG")
    String anomaly();

    /** Standard deviations above the mean of recent calls at which a call's tokens count as anomalous. */
    @WithDefault("3.0")
    double anomalyZScore();

    /** Earlier calls of the same agent type needed before anomalies are judged. */
    @WithDefault("20")
    int anomalyMinSamples();

    /** Recent calls per agent type kept as the baseline. */
    @WithDefault("200")
    int anomalyWindow();
  }

  /** Classpath resource listing the shipped agent definitions. */
  @WithDefault("agent-definitions.json")
  String definitionsResource();
}
