package dev.devloop.agent.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.agent.adapters.out.definitions.ClasspathPromptTemplates;
import dev.devloop.agent.adapters.out.definitions.ClasspathSafetyPolicies;
import dev.devloop.agent.application.AgentHierarchyService;
import dev.devloop.agent.application.AgentLoop;
import dev.devloop.agent.application.AgentTypeRules;
import dev.devloop.agent.application.AgentTypeService;
import dev.devloop.agent.application.AnomalyHistory;
import dev.devloop.agent.application.ChildRuns;
import dev.devloop.agent.application.GrantRevocationService;
import dev.devloop.agent.application.HandoffService;
import dev.devloop.agent.application.LeaseKeeper;
import dev.devloop.agent.application.LoopSettings;
import dev.devloop.agent.application.OrchestrationTools;
import dev.devloop.agent.application.RunAgentService;
import dev.devloop.agent.application.ShutdownSignal;
import dev.devloop.agent.application.SystemHealthService;
import dev.devloop.agent.domain.ModelPricing;
import dev.devloop.agent.domain.prompt.PromptTemplates;
import dev.devloop.agent.domain.safety.Guardrails;
import dev.devloop.agent.domain.safety.TripAction;
import dev.devloop.agent.domain.safety.TripwireKind;
import dev.devloop.agent.domain.safety.TripwireSettings;
import dev.devloop.agent.domain.safety.Tripwires;
import dev.devloop.agent.ports.out.AgentDefinitionsPort;
import dev.devloop.agent.ports.out.AgentRepositoryPort;
import dev.devloop.agent.ports.out.AgentTypeRepositoryPort;
import dev.devloop.agent.ports.out.FactsPort;
import dev.devloop.agent.ports.out.HandoffRepositoryPort;
import dev.devloop.agent.ports.out.HealthEventsPort;
import dev.devloop.agent.ports.out.HealthProbePort;
import dev.devloop.agent.ports.out.LifecyclePublisherPort;
import dev.devloop.agent.ports.out.ModelPort;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import dev.devloop.agent.ports.out.RunResultsPublisherPort;
import dev.devloop.agent.ports.out.SafetyEventsPort;
import dev.devloop.agent.ports.out.ShippedAgentDefinitionsPort;
import dev.devloop.agent.ports.out.ToolPort;
import dev.devloop.contracts.events.GrantRevocations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
        Map<String, Integer> callLimits = new HashMap<>();
        for (String entry : config.toolCallLimits()) {
            String[] toolAndMax = entry.split("=", 2);
            try {
                callLimits.put(toolAndMax[0].trim(), Integer.parseInt(toolAndMax[1].trim()));
            } catch (RuntimeException e) {
                throw new IllegalStateException(
                        "devloop.agent.tool-call-limits entries look like tool=N, not " + entry);
            }
        }
        return new LoopSettings(
                config.maxInputChars(),
                config.hardMaxTurns(),
                config.maxToolResultChars(),
                config.maxParallelTools(),
                config.pricing().defaultMaxCostUsd(),
                callLimits);
    }

    @Produces
    @Singleton
    PromptTemplates promptTemplates(AgentServiceConfig config, ObjectMapper json) {
        return ClasspathPromptTemplates.load(json, config.promptTemplates());
    }

    @Produces
    @Singleton
    ModelPricing modelPricing(AgentServiceConfig config) {
        AgentServiceConfig.Pricing p = config.pricing();
        Map<String, ModelPricing.Price> byModel = new HashMap<>();
        for (String entry : p.models().orElse(List.of())) {
            String[] modelAndPrices = entry.split("=", 2);
            String[] prices = modelAndPrices.length == 2 ? modelAndPrices[1].split("/", 2) : new String[0];
            if (prices.length != 2) {
                throw new IllegalStateException(
                        "devloop.agent.pricing.models entries look like model=input/output, not " + entry);
            }
            byModel.put(
                    modelAndPrices[0].trim(),
                    new ModelPricing.Price(Double.parseDouble(prices[0].trim()), Double.parseDouble(prices[1].trim())));
        }
        return new ModelPricing(
                new ModelPricing.Price(p.defaultInputPerMillion(), p.defaultOutputPerMillion()), byModel);
    }

    /** The agent-type catalogue: serves as {@link AgentDefinitionsPort} and as the agent-types use case. */
    @Produces
    @Singleton
    AgentTypeService agentTypes(
            ShippedAgentDefinitionsPort shipped,
            AgentTypeRepositoryPort registered,
            AgentRepositoryPort agents,
            PromptTemplates templates,
            AgentServiceConfig config,
            Clock clock) {
        AgentServiceConfig.AgentTypes t = config.agentTypes();
        return new AgentTypeService(
                shipped,
                registered,
                agents,
                templates,
                new AgentTypeRules(
                        t.maxPerTenant(),
                        t.maxInstructionsChars(),
                        t.maxDescriptionChars(),
                        t.maxListSize(),
                        t.maxTurns(),
                        t.maxTokens(),
                        t.maxSeconds(),
                        t.maxChildren(),
                        t.maxCostUsd()),
                clock);
    }

    /**
     * The run service as the runner of child runs for the tools and services its own loop uses (handoffs, the
     * orchestration tools, system-health checks): looked up at the first child run rather than at construction, so
     * the object graph has no cycle and nothing is bound after construction.
     */
    private static ChildRuns childRuns(Provider<RunAgentService> runService) {
        return (tenant, agent, key, input, traceId) -> runService.get().run(tenant, agent, key, input, traceId);
    }

    /** Set when the service drains at shutdown; read by the loop and the run service. */
    @Produces
    @Singleton
    ShutdownSignal shutdownSignal() {
        return new ShutdownSignal();
    }

    @Produces
    @Singleton
    HandoffService handoffService(
            AgentDefinitionsPort definitions,
            AgentHierarchyService hierarchy,
            HandoffRepositoryPort handoffs,
            FactsPort facts,
            LifecyclePublisherPort lifecycle,
            AgentServiceConfig config,
            Provider<RunAgentService> runService,
            Clock clock) {
        return new HandoffService(
                definitions,
                hierarchy,
                handoffs,
                facts,
                lifecycle,
                config.maxInputChars(),
                childRuns(runService),
                clock);
    }

    @Produces
    @Singleton
    OrchestrationTools orchestrationTools(
            AgentHierarchyService hierarchy,
            HandoffService handoffs,
            FactsPort facts,
            HealthEventsPort health,
            ManagedExecutor executor,
            AgentServiceConfig config,
            dev.devloop.agent.application.AgentAvailability availability,
            Provider<RunAgentService> runService,
            Clock clock) {
        return new OrchestrationTools(
                hierarchy,
                handoffs,
                facts,
                health,
                executor,
                new OrchestrationTools.Settings(
                        config.maxCoordinateTasks(),
                        config.maxParallelTools(),
                        config.maxInputChars(),
                        config.healthReporters(),
                        config.systemHealth().factTtl()),
                childRuns(runService),
                availability,
                clock);
    }

    @Produces
    @Singleton
    SystemHealthService systemHealthService(
            AgentDefinitionsPort definitions,
            AgentHierarchyService hierarchy,
            HealthProbePort probe,
            FactsPort facts,
            HealthEventsPort events,
            ManagedExecutor executor,
            AgentServiceConfig config,
            Provider<RunAgentService> runService,
            Clock clock) {
        AgentServiceConfig.SystemHealth h = config.systemHealth();
        Map<String, String> components = new LinkedHashMap<>();
        List<String> entries = new java.util.ArrayList<>(h.components());
        entries.addAll(h.extraComponents().orElse(List.of()));
        for (String entry : entries) {
            String[] nameAndUrl = entry.split("=", 2);
            if (nameAndUrl.length != 2 || nameAndUrl[0].isBlank() || nameAndUrl[1].isBlank()) {
                throw new IllegalStateException(
                        "devloop.agent.system-health components look like name=url, not " + entry);
            }
            components.put(nameAndUrl[0].trim(), nameAndUrl[1].trim());
        }
        return new SystemHealthService(
                definitions,
                hierarchy,
                probe,
                facts,
                events,
                executor,
                new SystemHealthService.Settings(
                        components,
                        h.diagnosticTools(),
                        h.repairTools(),
                        h.maxParallel(),
                        h.factTtl(),
                        h.maxIssueChars()),
                childRuns(runService),
                clock);
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
        actions.put(TripwireKind.COST, action("cost", t.cost()));
        actions.put(TripwireKind.CHILD_COUNT, action("child-count", t.childCount()));
        actions.put(TripwireKind.TURNS, TripAction.STOP);
        return new Tripwires(new TripwireSettings(
                actions, policies.dangerousOutputPatterns(), t.anomalyZScore(), t.anomalyMinSamples()));
    }

    @Produces
    @Singleton
    AnomalyHistory anomalyHistory(AgentServiceConfig config) {
        return new AnomalyHistory(config.tripwires().anomalyWindow());
    }

    @Produces
    @Singleton
    LeaseKeeper leaseKeeper(
            RunRepositoryPort runs, AgentServiceConfig config, io.micrometer.core.instrument.MeterRegistry meters) {
        java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "devloop-run-lease-renewal");
                    t.setDaemon(true);
                    return t;
                });
        java.time.Duration every =
                config.leaseRenewEvery().orElse(config.runLease().dividedBy(3));
        if (every.compareTo(config.runLease()) >= 0) {
            throw new IllegalStateException(
                    "devloop.agent.lease-renew-every must be shorter than devloop.agent.run-lease");
        }
        LeaseKeeper keeper = new LeaseKeeper(runs, timer, every);
        io.micrometer.core.instrument.Gauge.builder("devloop_agent_run_leases_held", keeper, LeaseKeeper::held)
                .description("runs whose lease is being renewed while they wait on a child run")
                .register(meters);
        leaseTimer = timer;
        return keeper;
    }

    private java.util.concurrent.ScheduledExecutorService leaseTimer;

    void stopLeaseTimer(@Observes io.quarkus.runtime.ShutdownEvent stop) {
        if (leaseTimer != null) {
            leaseTimer.shutdownNow();
        }
    }

    @Produces
    @Singleton
    AgentLoop agentLoop(
            ModelPort model,
            ToolPort tools,
            RunRepositoryPort runs,
            SafetyEventsPort safety,
            Guardrails guardrails,
            Tripwires tripwires,
            AnomalyHistory history,
            LoopSettings settings,
            Clock clock,
            OrchestrationTools local,
            PromptTemplates templates,
            ModelPricing pricing,
            ManagedExecutor executor,
            LeaseKeeper leases,
            dev.devloop.agent.ports.out.TextValidatorPort validator,
            dev.devloop.agent.ports.out.ProposalRepositoryPort proposals,
            dev.devloop.agent.ports.out.ApprovalEventsPort approvals,
            AgentServiceConfig config,
            dev.devloop.agent.ports.out.StoreRetryPort store,
            ShutdownSignal shutdown) {
        dev.devloop.agent.domain.safety.Enforcement globalMode = config.guardrailMode()
                .filter(m -> !m.isBlank())
                .map(m -> {
                    try {
                        return dev.devloop.agent.domain.safety.Enforcement.valueOf(
                                m.strip().toUpperCase());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalStateException(
                                "devloop.agent.guardrail-mode must be BLOCK, WARN or LOG, not " + m);
                    }
                })
                .orElse(null);
        return AgentLoop.builder(model, tools, runs, safety, guardrails, tripwires, history, settings, clock)
                .localTools(local)
                .templates(templates)
                .pricing(pricing)
                .toolExecutor(executor)
                .leases(leases)
                .validator(validator)
                .approvals(new dev.devloop.agent.application.ApprovalGate(proposals, approvals))
                .globalGuardrailMode(globalMode)
                .store(store) // a run's persistence rides out a short MongoDB outage
                .draining(shutdown::draining) // on shutdown runs yield at their next step boundary
                // a model call waits out provider-gateway being away, bounded, not charged to the run
                .siblingWait(new dev.devloop.agent.application.SiblingWait(
                        config.siblingWait().maxDuration(),
                        config.siblingWait().initialDelay(),
                        config.siblingWait().maxDelay()))
                .build();
    }

    @Produces
    @Singleton
    dev.devloop.agent.application.ApprovalService approvalService(
            dev.devloop.agent.ports.out.ProposalRepositoryPort proposals,
            RunRepositoryPort runs,
            dev.devloop.agent.ports.out.ApprovalEventsPort events,
            Clock clock,
            io.micrometer.core.instrument.MeterRegistry meters,
            Provider<RunAgentService> runService) {
        io.micrometer.core.instrument.Gauge.builder("devloop_agent_approvals_pending", proposals, p -> {
                    try {
                        return p.countPending();
                    } catch (RuntimeException e) {
                        return Double.NaN;
                    }
                })
                .description("proposals waiting for an operator's decision")
                .register(meters);
        // a decision that leaves nothing pending resumes the run through the run service, looked up when it happens
        return new dev.devloop.agent.application.ApprovalService(
                proposals, runs, events, clock, (tenant, runId) -> runService
                        .get()
                        .resumeDecided(tenant, runId));
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
    AgentHierarchyService agentHierarchy(
            AgentDefinitionsPort definitions,
            AgentRepositoryPort agents,
            LifecyclePublisherPort lifecycle,
            Clock clock) {
        return new AgentHierarchyService(definitions, agents, lifecycle, clock);
    }

    @Produces
    @Singleton
    RunAgentService runAgentUseCase(
            AgentDefinitionsPort definitions,
            AgentRepositoryPort agents,
            RunRepositoryPort runs,
            LifecyclePublisherPort lifecycle,
            RunResultsPublisherPort results,
            AgentHierarchyService hierarchy,
            AgentLoop loop,
            LoopSettings settings,
            ManagedExecutor executor,
            Clock clock,
            dev.devloop.agent.application.ApprovalService approvals,
            dev.devloop.agent.application.AgentAvailability liveness,
            dev.devloop.agent.ports.out.StoreRetryPort store,
            ShutdownSignal shutdown) {
        return new RunAgentService(
                definitions,
                agents,
                runs,
                lifecycle,
                results,
                hierarchy,
                loop,
                settings,
                executor,
                clock,
                liveness,
                approvals,
                store,
                shutdown);
    }

    /**
     * Agent liveness: an agent whose run in flight has not renewed its lease (its heartbeat) for three
     * lease-renewal intervals is unresponsive.
     */
    @Produces
    @Singleton
    dev.devloop.agent.application.AgentAvailability agentAvailability(
            RunRepositoryPort runs, AgentDefinitionsPort definitions, AgentServiceConfig config, Clock clock) {
        java.time.Duration every =
                config.leaseRenewEvery().orElse(config.runLease().dividedBy(3));
        return new dev.devloop.agent.application.AgentAvailability(runs, definitions, every.multipliedBy(3), clock);
    }

    /** Producer grant revocations (#17), kept in MongoDB and read back through the store retry. */
    @Produces
    @Singleton
    GrantRevocationService grantRevocationService(
            dev.devloop.agent.ports.out.GrantRevocationRepositoryPort revocations,
            dev.devloop.agent.ports.out.StoreRetryPort store) {
        return new GrantRevocationService(revocations, store);
    }

    /**
     * What contracts' {@code EventGate} asks before it accepts a granted record. Not cached: a lookup is one read by
     * {@code _id}, far cheaper than the run a task starts, and without a cache a revocation holds on every replica
     * from the next record on.
     */
    @Produces
    @Singleton
    GrantRevocations grantRevocations(GrantRevocationService revocations) {
        return revocations::revoked;
    }
}
