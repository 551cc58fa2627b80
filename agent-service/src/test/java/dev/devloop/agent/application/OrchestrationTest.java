package dev.devloop.agent.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.agent.adapters.out.definitions.ClasspathPromptTemplates;
import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentLevel;
import dev.devloop.agent.domain.AgentLimits;
import dev.devloop.agent.domain.AgentStatus;
import dev.devloop.agent.domain.ComponentHealth;
import dev.devloop.agent.domain.ModelPricing;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.domain.Step;
import dev.devloop.agent.domain.StepKind;
import dev.devloop.agent.domain.safety.Guardrails;
import dev.devloop.agent.domain.safety.TripwireKind;
import dev.devloop.agent.domain.safety.TripwireSettings;
import dev.devloop.agent.domain.safety.Tripwires;
import dev.devloop.agent.ports.in.StartRunCommand;
import dev.devloop.agent.ports.in.SystemHealthUseCase;
import dev.devloop.agent.ports.out.ToolPort;
import dev.devloop.agent.support.InMemoryAgents;
import dev.devloop.agent.support.InMemoryRuns;
import dev.devloop.agent.support.InterruptedRuns;
import dev.devloop.agent.support.Recorders;
import dev.devloop.agent.support.RecordingSafety;
import dev.devloop.agent.support.RecordingTools;
import dev.devloop.agent.support.RoutingModel;
import dev.devloop.agent.support.TestRuns;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.contracts.tools.ToolInvocationRequest;
import dev.devloop.contracts.tools.ToolInvocationResult;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The orchestration tools, handoffs, parallel tool calls, prompt templates, the cost and child-count
 * tripwires and the System Health Agent's check, through the real application services wired to
 * in-memory ports (the model answers by routing on each request, so concurrent children need no order).
 */
class OrchestrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String T = "t1";
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final InMemoryAgents agents = new InMemoryAgents()
            .define(AgentDefinition.of(
                            "system_health",
                            AgentLevel.PARENT,
                            "parent",
                            "Keep Devloop healthy.",
                            List.of("diagnostic", "repair"),
                            null,
                            null,
                            new AgentLimits(10, 100_000, 60, 3))
                    .withPromptTemplate("chain_of_thought")
                    .withHandoffTargets(List.of("planner")))
            .define(AgentDefinition.of(
                            "diagnostic",
                            AgentLevel.CHILD,
                            "diag",
                            "You diagnose one component.",
                            List.of("repair"),
                            null,
                            null,
                            new AgentLimits(5, 100_000, 60, 2))
                    .withPromptTemplate("claude_xml")
                    .withHandoffTargets(List.of()))
            .define(AgentDefinition.of(
                            "repair",
                            AgentLevel.MICRO,
                            "repair",
                            "You repair.",
                            List.of(),
                            null,
                            null,
                            new AgentLimits(5, 100_000, 60, 0))
                    .withPromptTemplate("basic")
                    .withHandoffTargets(List.of()))
            .define(AgentDefinition.of(
                            "assistant",
                            AgentLevel.CHILD,
                            "assistant",
                            "You help.",
                            List.of(),
                            null,
                            null,
                            new AgentLimits(5, 100_000, 60, 0, 0.001))
                    .withPromptTemplate("basic")
                    .withHandoffTargets(List.of("planner")))
            .define(AgentDefinition.of(
                            "planner",
                            AgentLevel.CHILD,
                            "planner",
                            "You plan.",
                            List.of(),
                            null,
                            null,
                            new AgentLimits(5, 100_000, 60, 0))
                    .withPromptTemplate("planner_steps")
                    .withHandoffTargets(List.of()))
            .define(AgentDefinition.of(
                            "churner",
                            AgentLevel.PARENT,
                            "spawns and retires",
                            "You churn.",
                            List.of("repair"),
                            null,
                            null,
                            new AgentLimits(10, 100_000, 60, 1))
                    .withPromptTemplate("basic")
                    .withHandoffTargets(List.of()));
    private final Recorders.Lifecycle lifecycle = new Recorders.Lifecycle();
    private final Recorders.Facts facts = new Recorders.Facts();
    private final Recorders.Health health = new Recorders.Health();
    private final Recorders.Handoffs handoffStore = new Recorders.Handoffs();
    private final InMemoryRuns runs = new InMemoryRuns();
    private final RecordingSafety safety = new RecordingSafety();
    private RunAgentService service;
    private SystemHealthService systemHealth;
    private AgentLoop loop;
    private AgentHierarchyService hierarchy;
    private LoopSettings loopSettings = new LoopSettings(10_000, 25, 4_000, 4, 0);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private void build(Function<GenerateRequest, GenerateResponse> route, ToolPort tools, ModelPricing pricing) {
        RoutingModel model = new RoutingModel(route);
        hierarchy = new AgentHierarchyService(agents, agents, lifecycle, clock);
        // the run service runs the child runs of the tools and services its own loop uses: referenced lazily
        ChildRuns childRuns = (tenant, agent, key, input, traceId) -> service.run(tenant, agent, key, input, traceId);
        HandoffService handoffs =
                new HandoffService(agents, hierarchy, handoffStore, facts, lifecycle, 10_000, childRuns, clock);
        OrchestrationTools orchestration = new OrchestrationTools(
                hierarchy,
                handoffs,
                facts,
                health,
                pool,
                new OrchestrationTools.Settings(
                        8, 4, 10_000, List.of("system_health", "diagnostic"), Duration.ofHours(6)),
                childRuns,
                AgentAvailability.NONE,
                clock);
        loop = AgentLoop.builder(
                        model,
                        tools,
                        runs,
                        safety,
                        new Guardrails(List.of()),
                        new Tripwires(new TripwireSettings(Map.of(), List.of(), 3.0, 20)),
                        new AnomalyHistory(50),
                        loopSettings,
                        clock)
                .localTools(orchestration)
                .templates(ClasspathPromptTemplates.load(
                        JSON, List.of("prompts/templates.yaml", "prompts/templates.json")))
                .pricing(pricing)
                .toolExecutor(pool)
                .build();
        service = TestRuns.service(agents, runs, lifecycle, hierarchy, loop, pool, clock);
        systemHealth = new SystemHealthService(
                agents,
                hierarchy,
                (name, url) -> name.equals("db")
                        ? new ComponentHealth(
                                name,
                                url,
                                ComponentHealth.Status.DOWN,
                                "unreachable: connection refused",
                                Map.of(),
                                clock.instant())
                        : new ComponentHealth(
                                name,
                                url,
                                ComponentHealth.Status.UP,
                                "all health checks UP",
                                Map.of("http_requests", 3d),
                                clock.instant()),
                facts,
                health,
                pool,
                new SystemHealthService.Settings(
                        Map.of("web", "http://web", "db", "http://db"),
                        List.of("check_connectivity"),
                        List.of("log_activity"),
                        4,
                        Duration.ofHours(6),
                        4000),
                childRuns,
                clock);
    }

    private void build(Function<GenerateRequest, GenerateResponse> route) {
        build(
                route,
                new RecordingTools(List.of("assistant", "diagnostic", "system_health", "repair")),
                new ModelPricing(new ModelPricing.Price(0, 0), Map.of()));
    }

    private Run run(String type, String input) {
        return service.runToCompletion(new StartRunCommand(T, type, input, "trace"));
    }

    private static JsonNode output(Step step) throws Exception {
        return JSON.readTree(step.outputJson());
    }

    private static String systemPrompt(GenerateRequest r) {
        return r.messages().get(0).content();
    }

    @Test
    void spawnWithATaskRunsTheChildUnderItsToolScopeAndRetiresItWithTheRun() throws Exception {
        List<GenerateRequest> childRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
        build(r -> {
            String input = RoutingModel.input(r);
            if (input.equals("diagnose db")) {
                childRequests.add(r);
                return RoutingModel.answer("db is slow: pool exhausted");
            }
            return RoutingModel.toolResults(r).isEmpty()
                    ? RoutingModel.call(
                            "c1",
                            "spawn_agent",
                            "{\"type\":\"diagnostic\",\"task\":\"diagnose db\",\"tools\":[\"store_fact\"]}")
                    : RoutingModel.answer("report: db pool exhausted");
        });

        Run done = run("system_health", "check db");

        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        Step spawn = done.steps().get(1);
        assertThat(spawn.tool()).isEqualTo("spawn_agent");
        assertThat(spawn.status()).isEqualTo("SUCCEEDED");
        JsonNode out = output(spawn);
        assertThat(out.path("run").path("result").asText()).isEqualTo("db is slow: pool exhausted");
        Agent child = agents.find(T, out.path("agentId").asText()).orElseThrow();
        assertThat(child.parentId()).isEqualTo(done.agentId());
        assertThat(child.toolScope()).containsExactly("store_fact");
        assertThat(child.status()).as("a run's helpers do not outlive it").isEqualTo(AgentStatus.RETIRED);
        // the child saw only its scope, and each side got its definition's template
        assertThat(childRequests).singleElement().satisfies(r -> {
            assertThat(r.tools()).extracting(ToolSpec::name).containsExactly("store_fact");
            assertThat(systemPrompt(r))
                    .startsWith("<instructions>\nYou diagnose one component.\n</instructions>")
                    .contains("<context>")
                    .contains("You are the diagnostic agent.");
        });
        Run parentRun = runs.find(T, done.id()).orElseThrow();
        assertThat(parentRun.status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void theParentIsOfferedTheOrchestrationToolsAndItsChainOfThoughtPrompt() {
        List<GenerateRequest> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        build(r -> {
            seen.add(r);
            return RoutingModel.answer("nothing to do");
        });

        run("system_health", "all quiet?");

        GenerateRequest first = seen.get(0);
        assertThat(first.tools())
                .extracting(ToolSpec::name)
                .contains(
                        "spawn_agent",
                        "coordinate_agents",
                        "monitor_children",
                        "retire_agent",
                        "handoff",
                        "update_health_status");
        assertThat(systemPrompt(first))
                .startsWith("Keep Devloop healthy.")
                .contains("You are the Devloop system_health agent.")
                .contains("Step 1: Restate the problem")
                .contains("Step 5: Answer with the conclusion first");
    }

    @Test
    void coordinateFansOutToChildrenInParallelAndGathersTheirResultsInOrder() throws Exception {
        CountDownLatch bothStarted = new CountDownLatch(2);
        build(r -> {
            String input = RoutingModel.input(r);
            if (input.startsWith("task ")) {
                bothStarted.countDown();
                try {
                    // each child waits for the other: only a parallel fan-out completes both
                    return RoutingModel.answer(
                            (bothStarted.await(20, TimeUnit.SECONDS) ? "together " : "alone ") + input);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return RoutingModel.toolResults(r).isEmpty()
                    ? RoutingModel.call(
                            "c1",
                            "coordinate_agents",
                            "{\"tasks\":[{\"agentType\":\"diagnostic\",\"input\":\"task A\"},"
                                    + "{\"agentType\":\"diagnostic\",\"input\":\"task B\"}]}")
                    : RoutingModel.answer("gathered");
        });

        Run done = run("system_health", "fan out");

        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        JsonNode out = output(done.steps().get(1));
        assertThat(out.path("results").findValuesAsText("result"))
                .containsExactly("together task A", "together task B");
        assertThat(out.path("completed").asInt()).isEqualTo(2);
        assertThat(out.path("spawnedAgentIds")).hasSize(2);
        assertThat(agents.children(T, done.agentId())).hasSize(2).allSatisfy(a -> assertThat(a.status())
                .isEqualTo(AgentStatus.RETIRED));
    }

    @Test
    void severalToolCallsRunInParallelAndAreRecordedInTheModelsOrder() {
        CountDownLatch allIn = new CountDownLatch(3);
        RecordingTools recording = new RecordingTools(List.of("assistant"));
        ToolPort blocking = new ToolPort() {
            @Override
            public List<ToolSpec> specsFor(String tenant, String agentType) {
                return recording.specsFor(tenant, agentType);
            }

            @Override
            public ToolInvocationResult invoke(String tenant, String toolId, ToolInvocationRequest request) {
                allIn.countDown();
                try {
                    if (!allIn.await(20, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("tool calls ran one at a time");
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return recording.invoke(tenant, toolId, request);
            }
        };
        build(
                r -> RoutingModel.toolResults(r).isEmpty()
                        ? RoutingModel.call(
                                "c1",
                                "store_fact",
                                "{\"entity\":\"a\"}",
                                "c2",
                                "store_fact",
                                "{\"entity\":\"b\"}",
                                "c3",
                                "store_fact",
                                "{\"entity\":\"c\"}")
                        : RoutingModel.answer("stored three"),
                blocking,
                new ModelPricing(new ModelPricing.Price(0, 0), Map.of()));

        Run done = run("assistant", "remember a, b and c");

        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.steps())
                .extracting(Step::kind)
                .containsExactly(
                        StepKind.MODEL_CALL,
                        StepKind.TOOL_CALL,
                        StepKind.TOOL_CALL,
                        StepKind.TOOL_CALL,
                        StepKind.MODEL_CALL);
        assertThat(done.steps().subList(1, 4)).extracting(Step::toolCallId).containsExactly("c1", "c2", "c3");
        assertThat(done.steps()).extracting(Step::index).containsExactly(0, 1, 2, 3, 4);
        assertThat(recording.executed()).hasSize(3);
    }

    @Test
    void aResumedParentRepeatingItsSpawnGetsTheSameChildAndRunNotNewOnes() throws Exception {
        List<GenerateRequest> childRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
        build(r -> {
            if (RoutingModel.input(r).equals("diagnose db")) {
                childRequests.add(r);
                return RoutingModel.answer("db is slow");
            }
            return RoutingModel.toolResults(r).isEmpty()
                    ? RoutingModel.call("c1", "spawn_agent", "{\"type\":\"diagnostic\",\"task\":\"diagnose db\"}")
                    : RoutingModel.answer("done");
        });
        Run first = run("system_health", "check db");
        int agentsBefore = agents.all(T).size();

        // the crash hit after the model asked for the spawn but before the tool step was recorded
        Run interrupted = InterruptedRuns.interrupted(
                first,
                first.steps().subList(0, 1),
                first.steps().get(0).usage(),
                first.createdAt(),
                first.createdAt(),
                null);
        Run again =
                loop.execute(interrupted, agents.definition(T, "system_health").orElseThrow(), List.of());

        assertThat(again.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(output(again.steps().get(1)).path("agentId").asText())
                .isEqualTo(output(first.steps().get(1)).path("agentId").asText());
        assertThat(output(again.steps().get(1)).path("run").path("result").asText())
                .isEqualTo("db is slow");
        assertThat(childRequests)
                .as("the child's run is not executed a second time")
                .hasSize(1);
        assertThat(agents.all(T)).hasSize(agentsBefore);
    }

    @Test
    void handoffRecordsFactsLinksTheAgentsRunsTheTaskAndReturnsTheResult() throws Exception {
        List<GenerateRequest> plannerRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
        build(r -> {
            if (RoutingModel.input(r).contains("plan the release")) {
                plannerRequests.add(r);
                return RoutingModel.answer("1. tag 2. ship");
            }
            return RoutingModel.toolResults(r).isEmpty()
                    ? RoutingModel.call(
                            "h1",
                            "handoff",
                            "{\"toAgentType\":\"planner\",\"task\":\"plan the release\",\"context\":\"v2 ships friday\"}")
                    : RoutingModel.answer("the planner says: tag, then ship");
        });

        Run done = run("assistant", "help me release");

        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        JsonNode out = output(done.steps().get(1));
        String handoffId = out.path("handoffId").asText();
        assertThat(handoffId).startsWith("hof_");
        assertThat(out.path("result").asText()).isEqualTo("1. tag 2. ship");
        assertThat(out.path("status").asText()).isEqualTo("COMPLETED");
        Agent target = agents.find(T, out.path("targetAgentId").asText()).orElseThrow();
        assertThat(target.type()).isEqualTo("planner");
        assertThat(target.parentId())
                .as("a handoff target is a peer, not a child")
                .isNull();
        assertThat(facts.find(handoffId, "from_agent").orElseThrow().value().asText())
                .isEqualTo(done.agentId());
        assertThat(facts.find(handoffId, "context").orElseThrow().value().asText())
                .isEqualTo("v2 ships friday");
        assertThat(facts.find(handoffId, "to_agent").orElseThrow().value().asText())
                .isEqualTo(target.id());
        assertThat(facts.find(handoffId, "result").orElseThrow().value().asText())
                .isEqualTo("1. tag 2. ship");
        assertThat(lifecycle.handoffs).singleElement().satisfies(h -> {
            assertThat(h.fromAgentId()).isEqualTo(done.agentId());
            assertThat(h.toAgentId()).isEqualTo(target.id());
        });
        assertThat(handoffStore.byId.get(handoffId).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(RoutingModel.input(plannerRequests.get(0)))
                .contains("Context handed over by agent " + done.agentId())
                .contains("v2 ships friday");
        assertThat(systemPrompt(plannerRequests.get(0))).contains("Step 1: Identify the goal");
    }

    @Test
    void aHandoffToATypeTheDefinitionDoesNotNameIsDenied() {
        build(r -> RoutingModel.toolResults(r).isEmpty()
                ? RoutingModel.call("h1", "handoff", "{\"toAgentType\":\"repair\",\"task\":\"fix it\"}")
                : RoutingModel.answer("could not"));

        Run done = run("assistant", "fix it yourself");

        assertThat(done.steps().get(1).status()).isEqualTo("DENIED");
        assertThat(done.steps().get(1).error()).contains("may not hand off to repair");
        assertThat(lifecycle.handoffs).isEmpty();
    }

    @Test
    void retireAndMonitorStayInsideTheCallersSubtree() throws Exception {
        String[] strangerId = new String[1];
        build(r -> switch (RoutingModel.toolResults(r).size()) {
            case 0 ->
                RoutingModel.call(
                        "c1",
                        "retire_agent",
                        "{\"agentId\":\"" + strangerId[0] + "\"}",
                        "c2",
                        "monitor_children",
                        "{}");
            default -> RoutingModel.answer("done");
        });
        Agent stranger = hierarchy.spawn(new dev.devloop.agent.ports.in.SpawnAgentCommand(T, "planner", null));
        strangerId[0] = stranger.id();

        Run done = run("system_health", "tidy up");

        assertThat(done.steps().get(1).status()).isEqualTo("DENIED");
        assertThat(done.steps().get(1).error()).contains("not one of your descendants");
        assertThat(agents.find(T, stranger.id()).orElseThrow().status()).isNotEqualTo(AgentStatus.RETIRED);
        assertThat(output(done.steps().get(2)).path("total").asInt()).isZero();
    }

    @Test
    void callsPastAToolsRegisteredPerRunLimitAreRefusedNotExecuted() {
        // tool-service registers store_fact with maxCallsPerRun 2
        RecordingTools limited = new RecordingTools(List.of("assistant")) {
            @Override
            public java.util.OptionalInt maxCallsPerRun(String tenant, String toolId) {
                return "store_fact".equals(toolId) ? java.util.OptionalInt.of(2) : java.util.OptionalInt.empty();
            }
        };
        build(
                r -> switch (RoutingModel.toolResults(r).size()) {
                    case 0 ->
                        RoutingModel.call(
                                "s1",
                                "store_fact",
                                "{\"entity\":\"a\"}",
                                "s2",
                                "store_fact",
                                "{\"entity\":\"b\"}",
                                "s3",
                                "store_fact",
                                "{\"entity\":\"c\"}");
                    case 3 -> RoutingModel.call("s4", "store_fact", "{\"entity\":\"d\"}");
                    default -> RoutingModel.answer("stored what I could");
                },
                limited,
                new ModelPricing(new ModelPricing.Price(0, 0), Map.of()));

        Run done = run("assistant", "store four facts");

        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.steps())
                .filteredOn(st -> st.kind() == StepKind.TOOL_CALL)
                .extracting(Step::toolCallId, Step::status)
                .containsExactly(
                        tuple("s1", "SUCCEEDED"),
                        tuple("s2", "SUCCEEDED"),
                        tuple("s3", "DENIED"),
                        tuple("s4", "DENIED"));
        assertThat(done.steps()).filteredOn(st -> "DENIED".equals(st.status())).allSatisfy(st -> assertThat(st.error())
                .contains("at most 2 times per run")
                .contains("maxCallsPerRun"));
        assertThat(limited.executed()).extracting(e -> e.idempotencyKey()).containsExactlyInAnyOrder("s1", "s2");
    }

    @Test
    void orchestrationToolsGetTheConfiguredLimitWhenTheRegistryStatesNone() throws Exception {
        loopSettings = new LoopSettings(10_000, 25, 4_000, 4, 0, Map.of("monitor_children", 1));
        build(r -> switch (RoutingModel.toolResults(r).size()) {
            case 0 -> RoutingModel.call("m1", "monitor_children", "{}");
            case 1 -> RoutingModel.call("m2", "monitor_children", "{}");
            default -> RoutingModel.answer("watched");
        });

        Run done = run("system_health", "watch the children");

        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.steps().get(1).status()).isEqualTo("SUCCEEDED");
        assertThat(done.steps().get(3).status()).isEqualTo("DENIED");
        assertThat(done.steps().get(3).error()).contains("'monitor_children' may be called at most 1 times per run");
        // the refusal went back to the model as a tool message
        assertThat(done.steps().get(3).toolCallId()).isEqualTo("m2");
    }

    @Test
    void aRunChurningThroughChildrenTripsTheChildCountTripwire() throws Exception {
        build(r -> {
            List<ChatMessage> results = RoutingModel.toolResults(r);
            return switch (results.size()) {
                case 0 -> RoutingModel.call("s1", "spawn_agent", "{\"type\":\"repair\"}");
                case 1 -> {
                    String id = parse(results.get(0).content())
                            .path("output")
                            .path("agentId")
                            .asText();
                    yield RoutingModel.call("r1", "retire_agent", "{\"agentId\":\"" + id + "\"}");
                }
                case 2 -> RoutingModel.call("s2", "spawn_agent", "{\"type\":\"repair\"}");
                default -> RoutingModel.answer("unreachable");
            };
        });

        Run done = run("churner", "churn");

        assertThat(done.status()).isEqualTo(RunStatus.TRIPPED);
        assertThat(done.error()).contains("child_count").contains("spawned 2 agents, limit 1");
        assertThat(safety.trips).extracting(t -> t.kind()).containsExactly(TripwireKind.CHILD_COUNT);
        assertThat(done.steps().get(done.steps().size() - 1).kind()).isEqualTo(StepKind.TRIPWIRE);
    }

    @Test
    void aRunSpendingMoreThanItsBudgetTripsTheCostTripwire() {
        build(
                r -> RoutingModel.answer("expensive"),
                new RecordingTools(List.of("assistant")),
                new ModelPricing(
                        new ModelPricing.Price(1, 1), Map.of("gpt-4o-mini", new ModelPricing.Price(100, 200))));

        Run done = run("assistant", "think hard");

        // 10 input tokens × $100/M + 5 output × $200/M = $0.002, over the assistant's $0.001
        assertThat(done.status()).isEqualTo(RunStatus.TRIPPED);
        assertThat(done.error()).contains("cost").contains("spent $0.002000, budget $0.001000");
        assertThat(safety.trips).extracting(t -> t.kind()).containsExactly(TripwireKind.COST);
        // the provider reported no cost, so the price table's estimate is the run's cost too
        assertThat(done.usage().costUsd()).isCloseTo(0.002, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(done.steps().get(0).usage().costUsd()).isCloseTo(0.002, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void theProvidersOwnCostFigureWinsOverThePriceTable() {
        // the price table would say $0.002 (over budget); the provider says $0.0004 per call, so two calls fit
        ModelPricing table =
                new ModelPricing(new ModelPricing.Price(1, 1), Map.of("gpt-4o-mini", new ModelPricing.Price(100, 200)));
        build(
                r -> RoutingModel.toolResults(r).isEmpty()
                        ? withCost(RoutingModel.call("c1", "store_fact", "{\"entity\":\"e\"}"), 0.0004)
                        : withCost(RoutingModel.answer("cheap"), 0.0004),
                new RecordingTools(List.of("assistant")),
                table);

        Run done = run("assistant", "think a little");

        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.usage().costUsd()).isCloseTo(0.0008, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(safety.trips).isEmpty();

        // and a provider figure over the budget trips the wire even where the table says "free"
        safety.trips.clear();
        build(
                r -> withCost(RoutingModel.answer("pricey"), 0.005),
                new RecordingTools(List.of("assistant")),
                new ModelPricing(new ModelPricing.Price(0, 0), Map.of()));
        Run pricey = run("assistant", "think");
        assertThat(pricey.status()).isEqualTo(RunStatus.TRIPPED);
        assertThat(pricey.error()).contains("spent $0.005000, budget $0.001000");
        assertThat(pricey.usage().costUsd()).isCloseTo(0.005, org.assertj.core.data.Offset.offset(1e-12));
    }

    private static GenerateResponse withCost(GenerateResponse r, double cost) {
        return new GenerateResponse(
                r.text(),
                r.toolCalls(),
                r.usage().withCost(cost),
                r.model(),
                r.provider(),
                r.finishReason(),
                r.cached(),
                r.latencyMs());
    }

    @Test
    void updateHealthStatusRecordsFactsAndPublishesForTheHealthTypesOnly() throws Exception {
        build(r -> RoutingModel.toolResults(r).isEmpty()
                ? RoutingModel.call(
                        "u1",
                        "update_health_status",
                        "{\"component\":\"kafka\",\"status\":\"DEGRADED\",\"detail\":\"lagging\",\"metrics\":{\"lag\":1200}}")
                : RoutingModel.answer("recorded"));

        Run done = run("system_health", "kafka lags");

        assertThat(output(done.steps().get(1)).path("recorded").toString()).contains("health_status", "metric_lag");
        assertThat(facts.find("kafka", "health_status").orElseThrow().value().asText())
                .isEqualTo("DEGRADED");
        assertThat(facts.find("kafka", "metric_lag").orElseThrow().value().asDouble())
                .isEqualTo(1200d);
        assertThat(facts.find("kafka", "health_status").orElseThrow().ttl()).isEqualTo(6 * 3600L);
        assertThat(health.statuses).singleElement().satisfies(h -> assertThat(h.status())
                .isEqualTo(ComponentHealth.Status.DEGRADED));

        Run denied = run("assistant", "kafka lags");
        assertThat(denied.steps().get(1).status()).isEqualTo("DENIED");
    }

    @Test
    void aSystemHealthCheckDiagnosesAndRepairsTheUnhealthyComponentAndRetiresItsTree() {
        List<GenerateRequest> repairRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
        build(
                r -> {
                    String input = RoutingModel.input(r);
                    if (input.startsWith("Component db")) {
                        return RoutingModel.answer("db process is not running");
                    }
                    if (input.startsWith("Repair component db")) {
                        repairRequests.add(r);
                        return RoutingModel.answer("restart requested");
                    }
                    throw new IllegalStateException("unexpected model request: " + input);
                },
                new RecordingTools(List.of("diagnostic", "repair")) {
                    @Override
                    public List<ToolSpec> specsFor(String tenant, String agentType) {
                        ObjectMapper m = new ObjectMapper();
                        return List.of(
                                new ToolSpec(
                                        "log_activity",
                                        "log",
                                        m.createObjectNode().put("type", "object")),
                                new ToolSpec(
                                        "write_file",
                                        "write",
                                        m.createObjectNode().put("type", "object")));
                    }
                },
                new ModelPricing(new ModelPricing.Price(0, 0), Map.of()));

        SystemHealthUseCase.Report report =
                systemHealth.check(new SystemHealthUseCase.CheckCommand(T, "db errors", null, null));

        assertThat(report.components())
                .extracting(ComponentHealth::component, ComponentHealth::status)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("web", ComponentHealth.Status.UP),
                        org.assertj.core.groups.Tuple.tuple("db", ComponentHealth.Status.DOWN));
        assertThat(report.diagnoses()).singleElement().satisfies(d -> {
            assertThat(d.component()).isEqualTo("db");
            assertThat(d.diagnosis()).isEqualTo("db process is not running");
            assertThat(d.repairStatus()).isEqualTo("COMPLETED");
            assertThat(d.repair()).isEqualTo("restart requested");
            Agent diagnostic = agents.find(T, d.diagnosticAgentId()).orElseThrow();
            Agent repair = agents.find(T, d.repairAgentId()).orElseThrow();
            assertThat(diagnostic.parentId()).isEqualTo(report.agentId());
            assertThat(repair.parentId()).isEqualTo(diagnostic.id());
            assertThat(repair.toolScope()).containsExactly("log_activity");
        });
        // the repair micro agent was offered only its narrow scope
        assertThat(repairRequests)
                .singleElement()
                .satisfies(r -> assertThat(r.tools()).extracting(ToolSpec::name).containsExactly("log_activity"));
        assertThat(report.retiredAgentIds()).hasSize(3);
        assertThat(agents.all(T)).allSatisfy(a -> assertThat(a.status()).isEqualTo(AgentStatus.RETIRED));
        assertThat(facts.find("db", "health_status").orElseThrow().value().asText())
                .isEqualTo("DOWN");
        assertThat(facts.find("web", "health_status").orElseThrow().value().asText())
                .isEqualTo("UP");
        assertThat(facts.find("db", "diagnosis").orElseThrow().value().asText()).isEqualTo("db process is not running");
        assertThat(health.statuses).hasSize(2);
        assertThat(health.reports).singleElement().satisfies(text -> assertThat(text)
                .contains("1 of 2 components healthy")
                .contains("db diagnosis: db process is not running"));
        assertThat(report.report()).contains("issue: db errors");
    }

    @Test
    void theDefinitionGrantsTheSpawningToolsToolServiceMaySwitchThemOffAndHandoffNeedsBothChecks() throws Exception {
        List<GenerateRequest> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        ToolPort registry = new RecordingTools(List.of("system_health")) {
            @Override
            public List<ToolSpec> specsFor(String tenant, String agentType) {
                // tool-service lists spawn_agent (kind agent) for this type, but neither coordinate_agents nor handoff
                return List.of(new ToolSpec(
                        "spawn_agent", "registered", JSON.createObjectNode().put("type", "object")));
            }

            @Override
            public boolean enabled(String tenant, String toolId) {
                return !"coordinate_agents".equals(toolId); // the tenant switched coordinate_agents off
            }
        };
        build(
                r -> {
                    if (RoutingModel.input(r).equals("look at db")) {
                        return RoutingModel.answer("db looked at");
                    }
                    seen.add(r);
                    return switch (RoutingModel.toolResults(r).size()) {
                        case 0 ->
                            RoutingModel.call(
                                    "c1",
                                    "coordinate_agents",
                                    "{\"tasks\":[{\"agentType\":\"diagnostic\",\"input\":\"x\"}]}",
                                    "c2",
                                    "spawn_agent",
                                    "{\"agent_type\":\"diagnostic\",\"task\":\"look at db\"}");
                        default -> RoutingModel.answer("done");
                    };
                },
                registry,
                new ModelPricing(new ModelPricing.Price(0, 0), Map.of()));

        Run done = run("system_health", "registry rules");

        // monitor/retire are granted by allowedChildTypes although tool-service does not list them for the type;
        // coordinate_agents is switched off; handoff is registered but not listed for the type, so not offered
        assertThat(seen.get(0).tools())
                .extracting(ToolSpec::name)
                .contains("spawn_agent", "monitor_children", "retire_agent", "update_health_status")
                .doesNotContain("coordinate_agents", "handoff");
        assertThat(done.steps().get(1).status()).isEqualTo("DENIED");
        assertThat(done.steps().get(2).status())
                .as("snake_case arguments as tool-service registers them")
                .isEqualTo("SUCCEEDED");
        assertThat(output(done.steps().get(2)).path("run").path("result").asText())
                .isEqualTo("db looked at");
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
