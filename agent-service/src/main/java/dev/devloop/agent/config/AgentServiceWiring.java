package dev.devloop.agent.config;

import dev.devloop.agent.application.AgentHierarchyService;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.agent.adapters.out.definitions.ClasspathSafetyPolicies;
import dev.devloop.agent.application.AgentLoop;
import dev.devloop.agent.application.AnomalyHistory;
import dev.devloop.agent.domain.safety.Guardrails;
import dev.devloop.agent.domain.safety.TripAction;
import dev.devloop.agent.domain.safety.TripwireKind;
import dev.devloop.agent.domain.safety.TripwireSettings;
import dev.devloop.agent.domain.safety.Tripwires;
import dev.devloop.agent.ports.out.SafetyEventsPort;
import dev.devloop.agent.application.LoopSettings;
import dev.devloop.agent.application.RunAgentService;
import dev.devloop.agent.ports.in.RunAgentUseCase;
import dev.devloop.agent.ports.out.AgentDefinitionsPort;
import dev.devloop.agent.ports.out.AgentRepositoryPort;
import dev.devloop.agent.ports.out.LifecyclePublisherPort;
import dev.devloop.agent.ports.out.ModelPort;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import dev.devloop.agent.ports.out.RunResultsPublisherPort;
import dev.devloop.agent.ports.out.ToolPort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import org.eclipse.microprofile.context.ManagedExecutor;

/** Wires the framework-free core to its adapters (singletons: the core's classes are final, so not proxied). */
@ApplicationScoped
public class AgentServiceWiring {

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  LoopSettings loopSettings(AgentServiceConfig config) {
    return new LoopSettings(config.maxInputChars(), config.hardMaxTurns(), config.maxToolResultChars());
  }

  @Produces
  @Singleton
  ClasspathSafetyPolicies.Loaded safetyPolicies(AgentServiceConfig config, ObjectMapper json) {
    return ClasspathSafetyPolicies.load(json, config.safetyResource());
  }

  @Produces
  @Singleton
  Guardrails guardrails(ClasspathSafetyPolicies.Loaded policies) {
    return new Guardrails(policies.guardrails());
  }

  @Produces
  @Singleton
  Tripwires tripwires(AgentServiceConfig config, ClasspathSafetyPolicies.Loaded policies) {
    AgentServiceConfig.Tripwires t = config.tripwires();
    Map<TripwireKind, TripAction> actions = new EnumMap<>(TripwireKind.class);
    actions.put(TripwireKind.EXECUTION_TIME, action("execution-time", t.executionTime()));
    actions.put(TripwireKind.TOKENS, action("tokens", t.tokens()));
    actions.put(TripwireKind.DANGEROUS_OUTPUT, action("dangerous-output", t.dangerousOutput()));
    actions.put(TripwireKind.ANOMALY, action("anomaly", t.anomaly()));
    actions.put(TripwireKind.TURNS, TripAction.STOP);
    return new Tripwires(new TripwireSettings(actions, policies.dangerousOutputPatterns(), t.anomalyZScore(),
        t.anomalyMinSamples()));
  }

  @Produces
  @Singleton
  AnomalyHistory anomalyHistory(AgentServiceConfig config) {
    return new AnomalyHistory(config.tripwires().anomalyWindow());
  }

  @Produces
  @Singleton
  AgentLoop agentLoop(ModelPort model, ToolPort tools, RunRepositoryPort runs, SafetyEventsPort safety,
      Guardrails guardrails, Tripwires tripwires, AnomalyHistory history, LoopSettings settings, Clock clock) {
    return new AgentLoop(model, tools, runs, safety, guardrails, tripwires, history, settings, clock);
  }

  private static TripAction action(String key, String value) {
    try {
      return TripAction.valueOf(value.toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("devloop.agent.tripwires." + key + " must be STOP or LOG, not " + value);
    }
  }

  /** Serves both as {@link dev.devloop.agent.ports.in.ManageAgentsUseCase} and as the run service's spawner. */
  @Produces
  @Singleton
  AgentHierarchyService agentHierarchy(AgentDefinitionsPort definitions, AgentRepositoryPort agents,
      LifecyclePublisherPort lifecycle, Clock clock) {
    return new AgentHierarchyService(definitions, agents, lifecycle, clock);
  }

  @Produces
  @Singleton
  RunAgentUseCase runAgentUseCase(AgentDefinitionsPort definitions, AgentRepositoryPort agents,
      RunRepositoryPort runs, LifecyclePublisherPort lifecycle, RunResultsPublisherPort results,
      AgentHierarchyService hierarchy, AgentLoop loop, LoopSettings settings, ManagedExecutor executor, Clock clock) {
    return new RunAgentService(definitions, agents, runs, lifecycle, results, hierarchy, loop, settings, executor,
        clock);
  }
}
