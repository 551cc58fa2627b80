package dev.devloop.agent.config;

import dev.devloop.agent.application.AgentHierarchyService;
import dev.devloop.agent.application.AgentLoop;
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
  AgentLoop agentLoop(ModelPort model, ToolPort tools, RunRepositoryPort runs, LoopSettings settings, Clock clock) {
    return new AgentLoop(model, tools, runs, settings, clock);
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
