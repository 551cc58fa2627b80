package dev.devloop.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Typed settings of agent-service. */
@ConfigMapping(prefix = "devloop.agent")
public interface AgentServiceConfig {
    /** MongoDB database holding agents, runs and handoffs. */
    @WithDefault("devloop_agents")
    String database();

    /** MongoDB migrations at start (adapters.out.mongo.MongoMigrator). */
    Migrations migrations();

    /** How long a start waits for another instance's migration lock, and how often it retries an unreachable store. */
    interface Migrations {
        /** Longest wait for another instance's lock before giving up, not ready. */
        @WithDefault("120s")
        Duration lockWait();

        /** Pause between attempts while MongoDB is unreachable at start. */
        @WithDefault("10s")
        Duration retry();
    }

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

    /**
     * How often the lease of a run waiting on a child run (spawn with a task, coordinate_agents,
     * handoff) is renewed; default a third of {@code run-lease}.
     */
    java.util.Optional<java.time.Duration> leaseRenewEvery();

    /** This replica's identity in run leases; defaults to host name and HTTP port, stable across restarts. */
    java.util.Optional<String> instanceId();

    /** How often abandoned runs are looked for. */
    @WithDefault("30s")
    String recoveryInterval();

    /** Classpath resource with the guardrail policies and dangerous-output patterns. */
    @WithDefault("safety.json")
    String safetyResource();

    /**
     * Enforcement of every guardrail violation for definitions that set no {@code guardrailMode}: BLOCK,
     * WARN or LOG; absent, each policy's own mode in the safety resource applies.
     */
    Optional<String> guardrailMode();

    /** Tool calls of one model answer executed at once (the rest wait for a free slot). */
    @WithDefault("4")
    int maxParallelTools();

    /**
     * Per-run call limits ({@code tool=N}) of tools whose tool-service registration states none — the
     * local orchestration tools when tool-service does not register them, and update_health_status.
     */
    @WithDefault(
            "spawn_agent=20,coordinate_agents=20,retire_agent=20,handoff=5,monitor_children=50,update_health_status=50")
    List<String> toolCallLimits();

    /** Most tasks one coordinate_agents call may fan out. */
    @WithDefault("8")
    int maxCoordinateTasks();

    /** Classpath resources (YAML or JSON) with the prompt templates, loaded in order. */
    @WithDefault("prompts/templates.yaml,prompts/templates.json")
    List<String> promptTemplates();

    /** Agent types that may call update_health_status. */
    @WithDefault("system_health,diagnostic")
    List<String> healthReporters();

    /** Token prices used for the cost tripwire when the provider reports no cost. */
    Pricing pricing();

    /** Tripwire actions and anomaly detection. */
    Tripwires tripwires();

    /** The System Health Agent's checks. */
    SystemHealth systemHealth();

    /** Estimated prices in USD per million tokens. */
    interface Pricing {
        @WithDefault("2.5")
        double defaultInputPerMillion();

        @WithDefault("10.0")
        double defaultOutputPerMillion();

        /** Per-model prices as {@code model=input/output}, e.g. {@code gpt-4o-mini=0.15/0.60}. */
        Optional<List<String>> models();

        /** Cost budget of a run whose definition sets none; 0 means no cost budget. */
        @WithDefault("5.0")
        double defaultMaxCostUsd();
    }

    /** Components to check, tool scopes of the agents a check spawns, probe bounds and the schedule. */
    interface SystemHealth {
        /** {@code name=baseUrl} of every Devloop service. */
        List<String> components();

        /** More {@code name=baseUrl} components (kept apart so one can be added without repeating the five). */
        Optional<List<String>> extraComponents();

        @WithDefault("check_connectivity,analyze_metrics,log_activity")
        List<String> diagnosticTools();

        @WithDefault("log_activity,publish_event")
        List<String> repairTools();

        @WithDefault("3s")
        Duration probeTimeout();

        /** Share of 5xx answers above which a healthy-looking service is DEGRADED. */
        @WithDefault("0.2")
        double degradedErrorRatio();

        /** Requests needed before the 5xx share is judged. */
        @WithDefault("20")
        long degradedMinRequests();

        /** How long component status facts live (MongoDB tier below one day); 0 means long-term. */
        @WithDefault("PT6H")
        Duration factTtl();

        /** Longest issue text accepted. */
        @WithDefault("4000")
        int maxIssueChars();

        /** Checks run at once (probes, diagnostics). */
        @WithDefault("4")
        int maxParallel();

        /** Scheduled checks: off unless enabled. */
        @WithDefault("false")
        boolean scheduleEnabled();

        @WithDefault("5m")
        String scheduleEvery();

        /** The tenant scheduled checks run under. */
        @WithDefault("system")
        String scheduleTenant();
    }

    /** Tripwire settings; each action is STOP or LOG. */
    interface Tripwires {
        @WithDefault("STOP")
        String executionTime();

        @WithDefault("STOP")
        String tokens();

        @WithDefault("STOP")
        String dangerousOutput();

        @WithDefault("STOP")
        String cost();

        @WithDefault("STOP")
        String childCount();

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

    /** Bounds on agent types registered by API. */
    AgentTypes agentTypes();

    /** Bounds on agent types registered by API ({@code POST /agent-types}). */
    interface AgentTypes {
        @WithDefault("100")
        int maxPerTenant();

        @WithDefault("8000")
        int maxInstructionsChars();

        @WithDefault("1000")
        int maxDescriptionChars();

        /** Most entries in allowedChildTypes and in handoffTargets. */
        @WithDefault("20")
        int maxListSize();

        @WithDefault("25")
        int maxTurns();

        @WithDefault("1000000")
        long maxTokens();

        @WithDefault("3600")
        long maxSeconds();

        @WithDefault("20")
        int maxChildren();

        @WithDefault("100")
        double maxCostUsd();
    }

    /** How a run in flight rides out an outage of its store (MongoDB). */
    StoreRetry storeRetry();

    /** Retries of a run's persistence while MongoDB is unreachable: exponential backoff, bounded in time. */
    interface StoreRetry {
        /** Longest a run waits for the store to come back before it is left to the lease (recovery). */
        @WithDefault("60s")
        Duration maxDuration();

        /** First wait after a failed attempt. */
        @WithDefault("200ms")
        Duration initialDelay();

        /** Longest wait between attempts: bounds how long after the store's return a run resumes. */
        @WithDefault("1s")
        Duration maxDelay();
    }

    /** How a model call waits out provider-gateway being away (the same window and backoff as tool invocations). */
    SiblingWait siblingWait();

    /**
     * A model call while provider-gateway is unreachable, answers 503 or the circuit to it is open: repeated with
     * exponential backoff (its {@code Retry-After} honoured) for at most {@code max-duration} from the first failure;
     * the run stays RUNNING and shows why, and the wait is not charged to its time budget. 0s: the first failure is
     * final. The defaults are adapters.out.http.SiblingCalls' window and backoff, which tool invocations use.
     */
    interface SiblingWait {
        @WithDefault("90s")
        Duration maxDuration();

        /** First pause after a failed attempt; it doubles up to {@code max-delay}. */
        @WithDefault("250ms")
        Duration initialDelay();

        /** Longest pause between attempts: bounds how long after provider-gateway's return the call goes through. */
        @WithDefault("1s")
        Duration maxDelay();
    }

    /** Graceful shutdown: how long runs in flight may take to reach a step boundary before their leases are released. */
    @WithDefault("10s")
    Duration shutdownGrace();

    /** Side work that mirrors the agent tree to the knowledge graph (lifecycle and fact events). */
    SideWork sideWork();

    /** Bounds of the agent-tree mirror and fact events: a per-publish time bound and a circuit breaker. */
    interface SideWork {
        /** Longest a publish may hold the run's thread. */
        @WithDefault("500ms")
        Duration timeout();

        /** Failures (out of the last {@code request-volume} publishes) that open the breaker, as a ratio. */
        @WithDefault("0.5")
        double failureRatio();

        @WithDefault("10")
        int requestVolume();

        /** How long the open breaker skips the side work before it tries again. */
        @WithDefault("10s")
        Duration breakerDelay();
    }

    /** Classpath resource listing the shipped agent definitions. */
    @WithDefault("agent-definitions.json")
    String definitionsResource();
}
