package dev.devloop.agent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import dev.devloop.agent.adapters.out.mongo.BenchRuns;
import dev.devloop.agent.application.AgentLoop;
import dev.devloop.agent.application.AnomalyHistory;
import dev.devloop.agent.application.LeaseKeeper;
import dev.devloop.agent.application.LocalTools;
import dev.devloop.agent.application.LoopSettings;
import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentLevel;
import dev.devloop.agent.domain.AgentLimits;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.domain.safety.Enforcement;
import dev.devloop.agent.domain.safety.GuardrailPolicy;
import dev.devloop.agent.domain.safety.GuardrailStage;
import dev.devloop.agent.domain.safety.Guardrails;
import dev.devloop.agent.domain.safety.PolicyKind;
import dev.devloop.agent.domain.safety.TripwireSettings;
import dev.devloop.agent.domain.safety.Tripwires;
import dev.devloop.agent.ports.out.ModelPort;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import dev.devloop.agent.ports.out.ToolPort;
import dev.devloop.agent.support.InMemoryRuns;
import dev.devloop.agent.support.RecordingSafety;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.contracts.tools.ToolInvocationRequest;
import dev.devloop.contracts.tools.ToolInvocationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The agent loop's overhead per step against the OpenAI Agents SDK for JavaScript, both driving the same instant
 * OpenAI-compatible chat-completions stub (bench/openai-stub.mjs) and the same trivial tool {@code lookup}. One
 * run = TOOL_TURNS model answers asking for the tool, each tool call, and the final answer: 2 × TOOL_TURNS + 1
 * steps. Our loop's model port is {@link OpenAiChatModel} pointed at the stub; the tool is a local tool (the
 * in-process path the orchestration tools take). Measured with runs kept in memory (the loop's CPU cost) and
 * with every step persisted to the real MongoDB (the durable cost). Each side's raw stub round trips for one run
 * (same HTTP client, same number of calls) are measured too, so the overhead per step excludes the stub.
 *
 * With GATEWAY_URL set (the script's VIA_GATEWAY=1), the loop is also measured through a running provider-gateway
 * ({@link GatewayModel}) in front of the same stub.
 *
 * <p>Run: {@code agent-service/bench/loop-benchmark.sh} (starts the stub and the SDK side; not part of verify).
 */
public final class LoopBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WARMUP_NANOS = Long.getLong("bench.warmupMs", 3000) * 1_000_000L;
    private static final long MEASURE_NANOS = Long.getLong("bench.measureMs", 10000) * 1_000_000L;

    /** The trivial tool, run in-process by the loop like the orchestration tools. */
    static final class LookupTool implements LocalTools {
        private final List<ToolSpec> specs = List.of(new ToolSpec(
                "lookup",
                "Looks a key up.",
                JSON.createObjectNode()
                        .put("type", "object")
                        .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                                "properties",
                                JSON.createObjectNode()
                                        .set("key", JSON.createObjectNode().put("type", "string")))
                        .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                                "required", JSON.createArrayNode().add("key"))));

        @Override
        public boolean handles(String tool) {
            return "lookup".equals(tool);
        }

        @Override
        public List<ToolSpec> specsFor(AgentDefinition definition) {
            return specs;
        }

        @Override
        public ToolInvocationResult execute(Run run, AgentDefinition definition, ToolCall call) {
            JsonNode output = JSON.createObjectNode()
                    .put("key", call.arguments().path("key").asText())
                    .put("value", "x");
            return new ToolInvocationResult(
                    call.id(), "lookup", ToolInvocationResult.SUCCEEDED, output, null, 0, false);
        }
    }

    /** The stub's script in-process: the tool while fewer than {@code toolTurns} results are in, then "done". */
    static final class InstantModel implements ModelPort {
        private final int toolTurns;
        private final GenerateResponse answer = new GenerateResponse(
                "done",
                List.of(),
                new dev.devloop.contracts.provider.Usage(30, 10, 40),
                "stub",
                "openai",
                "stop",
                false,
                0);

        InstantModel(int toolTurns) {
            this.toolTurns = toolTurns;
        }

        @Override
        public GenerateResponse generate(String tenant, GenerateRequest request) {
            long answered = request.messages().stream()
                    .filter(m -> "tool".equals(m.role()))
                    .count();
            if (answered >= toolTurns) {
                return answer;
            }
            return new GenerateResponse(
                    null,
                    List.of(new ToolCall(
                            "call_" + (answered + 1),
                            "lookup",
                            JSON.createObjectNode().put("key", "bench"))),
                    new dev.devloop.contracts.provider.Usage(30, 10, 40),
                    "stub",
                    "openai",
                    "tool_calls",
                    false,
                    0);
        }
    }

    /** Counts the calls of the run store (each one MongoDB round trip) and the runs created. */
    static final class CountingRuns implements RunRepositoryPort {
        final java.util.concurrent.atomic.LongAdder calls = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder created = new java.util.concurrent.atomic.LongAdder();
        private final RunRepositoryPort delegate;

        CountingRuns(RunRepositoryPort delegate) {
            this.delegate = delegate;
        }

        long perRun() {
            return Math.round((double) calls.sum() / created.sum());
        }

        @Override
        public void create(Run run) {
            calls.increment();
            created.increment();
            delegate.create(run);
        }

        @Override
        public boolean createIfAbsent(Run run) {
            calls.increment();
            created.increment();
            return delegate.createIfAbsent(run);
        }

        @Override
        public void appendStep(
                String tenant,
                String runId,
                dev.devloop.agent.domain.Step step,
                dev.devloop.agent.domain.TokenUsage totalUsage) {
            calls.increment();
            delegate.appendStep(tenant, runId, step, totalUsage);
        }

        @Override
        public java.util.Optional<String> appendStepReadingCancel(
                String tenant,
                String runId,
                dev.devloop.agent.domain.Step step,
                dev.devloop.agent.domain.TokenUsage totalUsage) {
            calls.increment();
            return delegate.appendStepReadingCancel(tenant, runId, step, totalUsage);
        }

        @Override
        public java.util.Optional<String> cancelRequested(String tenant, String runId) {
            calls.increment();
            return delegate.cancelRequested(tenant, runId);
        }

        @Override
        public void renewLease(String tenant, String runId) {
            calls.increment();
            delegate.renewLease(tenant, runId);
        }

        @Override
        public void finish(Run run) {
            calls.increment();
            delegate.finish(run);
        }

        @Override
        public void appendLastStepAndFinish(Run finished, dev.devloop.agent.domain.Step last) {
            calls.increment();
            delegate.appendLastStepAndFinish(finished, last);
        }

        @Override
        public java.util.Optional<Run> find(String tenant, String runId) {
            calls.increment();
            return delegate.find(tenant, runId);
        }

        @Override
        public java.util.Optional<Run> requestCancel(String tenant, String runId, String reason) {
            calls.increment();
            return delegate.requestCancel(tenant, runId, reason);
        }

        @Override
        public List<Run> claimAbandoned(int max) {
            return delegate.claimAbandoned(max);
        }
    }

    /** tool-service offers nothing more (its listing is an HTTP call in the service, not part of this comparison). */
    static final class NoRemoteTools implements ToolPort {
        @Override
        public List<ToolSpec> specsFor(String tenant, String agentType) {
            return List.of();
        }

        @Override
        public ToolInvocationResult invoke(String tenant, String toolId, ToolInvocationRequest request) {
            throw new IllegalStateException("no remote tools in the benchmark");
        }
    }

    public static void main(String[] args) throws IOException {
        String stubUrl = required("STUB_URL");
        int toolTurns = Integer.parseInt(System.getenv().getOrDefault("TOOL_TURNS", "1"));
        int steps = 2 * toolTurns + 1;
        String mongoUrl = System.getenv().getOrDefault("DEVLOOP_MONGO_URL", "mongodb://127.0.0.1:27017");
        AgentDefinition definition = AgentDefinition.of(
                "assistant",
                AgentLevel.CHILD,
                "bench",
                "Be brief.",
                List.of(),
                null,
                null,
                new AgentLimits(toolTurns + 2, 1_000_000, 600, 0));
        OpenAiChatModel model = new OpenAiChatModel(stubUrl);
        LookupTool lookup = new LookupTool();

        Runnable rawRun = rawRun(model, lookup, toolTurns);
        Runnable memoryRun =
                loopRun(new InMemoryRuns(), LeaseKeeper.NONE, model, lookup, definition, steps, Duration.ZERO);
        // the loop's own CPU: the same runs with an in-process model answering at once (no HTTP at all)
        Runnable cpuRun = loopRun(
                new InMemoryRuns(),
                LeaseKeeper.NONE,
                new InstantModel(toolTurns),
                lookup,
                definition,
                steps,
                Duration.ZERO);
        Measured raw;
        Measured memory;
        Measured cpu;
        Measured mongo;
        Measured mongoReading;
        long readingCallsPerRun;
        Measured viaGateway = null;
        Measured rawGateway = null;
        long storeCallsPerRun;
        String gatewayUrl = System.getenv("GATEWAY_URL");
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-lease-renewal");
            t.setDaemon(true);
            return t;
        });
        StoreTrips trips = new StoreTrips();
        List<String> tripLines;
        long runsStored;
        try (MongoClient client = trips.client(mongoUrl)) {
            String database = "devloop_bench_" + Long.toHexString(System.nanoTime());
            CountingRuns runs = new CountingRuns(BenchRuns.mongo(client, database));
            // the same persisted runs created 2 s before they execute: past AgentLoop's fresh window, so the first step
            // boundary reads the cancel request from the store (the stop-26 pattern, one round trip more)
            CountingRuns reading = new CountingRuns(BenchRuns.mongo(client, database));
            try {
                Runnable persistedRun = loopRun(
                        runs,
                        new LeaseKeeper(runs, timer, Duration.ofSeconds(100)),
                        model,
                        lookup,
                        definition,
                        steps,
                        Duration.ZERO);
                Runnable readingRun = loopRun(
                        reading,
                        new LeaseKeeper(reading, timer, Duration.ofSeconds(100)),
                        model,
                        lookup,
                        definition,
                        steps,
                        Duration.ofSeconds(2));
                // every phase is warmed before any is measured, then the phases take turns in short slices, so a change
                // of the machine's load (other builds on the box) weighs on all of them alike
                List<Runnable> phases = new ArrayList<>(List.of(rawRun, memoryRun, cpuRun, persistedRun, readingRun));
                if (gatewayUrl != null && !gatewayUrl.isBlank()) {
                    // through the real provider-gateway hop, which calls the same stub (runs in memory)
                    GatewayModel gateway = new GatewayModel(gatewayUrl);
                    phases.add(rawRun(gateway, lookup, toolTurns));
                    phases.add(loopRun(
                            new InMemoryRuns(), LeaseKeeper.NONE, gateway, lookup, definition, steps, Duration.ZERO));
                }
                List<Measured> m = interleaved(phases);
                raw = m.get(0);
                memory = m.get(1);
                cpu = m.get(2);
                mongo = m.get(3);
                mongoReading = m.get(4);
                if (m.size() > 5) {
                    rawGateway = m.get(5);
                    viaGateway = m.get(6);
                }
                storeCallsPerRun = runs.perRun();
                readingCallsPerRun = reading.perRun();
                // the store's floor on the same pool right after: a ping does no collection work
                for (int i = 0; i < 300; i++) {
                    client.getDatabase(database).runCommand(new org.bson.Document("ping", 1));
                }
                tripLines = trips.lines();
                runsStored = client.getDatabase(database).getCollection("runs").countDocuments();
            } finally {
                client.getDatabase(database).drop();
                timer.shutdownNow();
            }
        }

        System.out.println("agent loop benchmark: instant chat-completions stub " + stubUrl + "; 1 run = " + steps
                + " steps (" + (toolTurns + 1) + " model calls, " + toolTurns + " tool calls)");
        Side ours = new Side("devloop loop, runs in memory", memory, raw, steps);
        Side persisted = new Side("devloop loop, steps persisted to MongoDB", mongo, raw, steps);
        System.out.println(line("devloop raw stub round trips / run", raw, null));
        System.out.println(line("devloop loop, in-process instant model", cpu, null)
                + String.format(Locale.ROOT, "  loop CPU %8.1f µs/step", cpu.microsPerIteration() / steps));
        System.out.println(ours.line());
        System.out.println(persisted.line() + "  (" + storeCallsPerRun + " store round trips per run)");
        Side readingSide =
                new Side("devloop loop, persisted, first boundary reads the cancel", mongoReading, raw, steps);
        System.out.println(readingSide.line() + "  (" + readingCallsPerRun + " store round trips per run)");
        System.out.println("store trips of both persisted phases (warm-up included; " + runsStored
                + " runs in the collection at the end; ping = the store's floor, measured after):");
        tripLines.forEach(System.out::println);
        System.out.println(String.format(
                Locale.ROOT,
                "fresh run (no cancel read) vs first boundary reading it, same run: %.2f× runs/s, overhead %.2f× per step",
                persisted.measured.perSecond() / readingSide.measured.perSecond(),
                persisted.overheadPerStep() / readingSide.overheadPerStep()));
        Side gatewaySide = viaGateway == null
                ? null
                : new Side("devloop loop through provider-gateway, in memory", viaGateway, raw, steps);
        if (gatewaySide != null) {
            System.out.println(line("provider-gateway raw round trips / run", rawGateway, null));
            System.out.println(gatewaySide.line() + "  (the gateway hop counted as overhead)");
        }
        String sdkResult = System.getenv("SDK_RESULT");
        if (sdkResult == null || !Files.exists(Path.of(sdkResult))) {
            System.out.println("(no SDK_RESULT: the OpenAI Agents SDK side was not measured)");
            return;
        }
        JsonNode sdkJson = JSON.readTree(Files.readString(Path.of(sdkResult)));
        Side sdk = new Side(
                "OpenAI Agents SDK (JS) " + sdkJson.path("sdkVersion").asText("?"),
                measured(sdkJson.path("sdk")),
                measured(sdkJson.path("raw")),
                steps);
        System.out.println(line("SDK raw stub round trips / run", sdk.raw, null));
        System.out.println(sdk.line());
        List<String[]> rows = new ArrayList<>();
        rows.add(row(
                "runs/s, runs in memory (1 at a time)", ours.measured.perSecond(), sdk.measured.perSecond(), "%.0f"));
        rows.add(row(
                "runs/s, steps persisted to MongoDB",
                persisted.measured.perSecond(),
                sdk.measured.perSecond(),
                "%.0f"));
        if (gatewaySide != null) {
            rows.add(row(
                    "runs/s through provider-gateway, in memory",
                    gatewaySide.measured.perSecond(),
                    sdk.measured.perSecond(),
                    "%.0f"));
        }
        rows.add(row(
                "overhead µs/step, in memory (lower is better)",
                ours.overheadPerStep(),
                sdk.overheadPerStep(),
                "%.1f"));
        rows.add(row(
                "overhead µs/step, persisted (lower is better)",
                persisted.overheadPerStep(),
                sdk.overheadPerStep(),
                "%.1f"));
        if (gatewaySide != null) {
            rows.add(row(
                    "overhead µs/step through provider-gateway (gateway hop included; lower is better)",
                    gatewaySide.overheadPerStep(),
                    sdk.overheadPerStep(),
                    "%.1f"));
        }
        rows.add(new String[] {
            "MongoDB round trips per run (" + steps + " steps)", String.valueOf(storeCallsPerRun), "–", "–"
        });
        rows.add(new String[] {
            "loop CPU µs/step, in-process instant model (no HTTP; SDK: n/a)",
            String.format(Locale.ROOT, "%.1f", cpu.microsPerIteration() / steps),
            "–",
            "–"
        });
        rows.add(row(
                "raw stub round trips µs/run (each side's HTTP client)",
                raw.microsPerIteration(),
                sdk.raw.microsPerIteration(),
                "%.0f"));
        StringBuilder table = new StringBuilder("| measure | devloop | baseline | ratio |\n|---|---|---|---|\n");
        for (String[] r : rows) {
            table.append("| agent loop: ")
                    .append(r[0])
                    .append(" | ")
                    .append(r[1])
                    .append(" | ")
                    .append(r[2])
                    .append(" | ")
                    .append(r[3])
                    .append(" |\n");
        }
        System.out.println();
        System.out.println(
                "baseline = " + sdk.name + ", same stub, same tool, tracing off; ratio = devloop ÷ baseline");
        System.out.print(table);
        String out = System.getenv("BENCH_OUT");
        if (out != null && !out.isBlank()) {
            Files.createDirectories(Path.of(out));
            Files.writeString(Path.of(out, "agent-loop.md"), table.toString());
        }
    }

    private static String[] row(String name, double ours, double baseline, String format) {
        return new String[] {
            name,
            String.format(Locale.ROOT, format, ours),
            String.format(Locale.ROOT, format, baseline),
            String.format(Locale.ROOT, "%.2f×", ours / baseline)
        };
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is required (the loop-benchmark.sh script sets it)");
        }
        return value;
    }

    /** The stub's round trips for one run, through the same port and client the loop uses. */
    private static Runnable rawRun(ModelPort model, LookupTool lookup, int toolTurns) {
        List<GenerateRequest> requests = new ArrayList<>();
        List<ChatMessage> messages =
                new ArrayList<>(List.of(ChatMessage.system("Be brief."), ChatMessage.user("remember x")));
        requests.add(new GenerateRequest(null, null, List.copyOf(messages), lookup.specs, null, "a"));
        for (int turn = 1; turn <= toolTurns; turn++) {
            ToolCall call = new ToolCall(
                    "call_" + turn, "lookup", JSON.createObjectNode().put("key", "bench"));
            messages.add(ChatMessage.assistant(null, List.of(call)));
            messages.add(ChatMessage.toolResult(
                    call.id(), "lookup", "{\"status\":\"SUCCEEDED\",\"output\":{\"value\":\"x\"}}"));
            requests.add(new GenerateRequest(null, null, List.copyOf(messages), lookup.specs, null, "a"));
        }
        return () -> {
            for (GenerateRequest request : requests) {
                model.generate("t", request);
            }
        };
    }

    private static Runnable loopRun(
            RunRepositoryPort runs,
            LeaseKeeper leases,
            ModelPort model,
            LocalTools lookup,
            AgentDefinition definition,
            int steps,
            Duration createdAgo) {
        Clock clock = Clock.systemUTC();
        AgentLoop loop = AgentLoop.builder(
                        model,
                        new NoRemoteTools(),
                        runs,
                        new RecordingSafety(),
                        new Guardrails(List.of(
                                new GuardrailPolicy(
                                        "prompt-injection",
                                        GuardrailStage.PROMPT,
                                        PolicyKind.PROMPT_INJECTION,
                                        Enforcement.BLOCK,
                                        null,
                                        0,
                                        null),
                                new GuardrailPolicy(
                                        "response-pii",
                                        GuardrailStage.RESPONSE,
                                        PolicyKind.PII,
                                        Enforcement.WARN,
                                        null,
                                        0,
                                        null))),
                        new Tripwires(new TripwireSettings(Map.of(), List.of("rm\\s+-rf\\s+/"), 3.0, 20)),
                        new AnomalyHistory(200),
                        new LoopSettings(32_768, 25, 16_384),
                        clock)
                .localTools(lookup)
                .leases(leases)
                .build();
        return () -> {
            Agent agent = Agent.spawn("bench", definition, null, clock.instant());
            Run run = Run.start(
                    "bench", agent, "remember x", null, clock.instant().minus(createdAgo));
            runs.create(run);
            Run done = loop.execute(run, definition);
            if (done.status() != RunStatus.COMPLETED || done.steps().size() != steps) {
                throw new IllegalStateException("unexpected run outcome " + done.status() + " " + done.error() + " "
                        + done.steps().size() + " steps");
            }
        };
    }

    record Measured(long iterations, long nanos) {
        double perSecond() {
            return iterations * 1e9 / nanos;
        }

        double microsPerIteration() {
            return nanos / 1e3 / iterations;
        }
    }

    record Side(String name, Measured measured, Measured raw, int steps) {
        double overheadPerStep() {
            return (measured.microsPerIteration() - raw.microsPerIteration()) / steps;
        }

        String line() {
            return LoopBenchmark.line(name, measured, null)
                    + String.format(Locale.ROOT, "  overhead %8.1f µs/step", overheadPerStep());
        }
    }

    private static Measured measured(JsonNode side) {
        return new Measured(
                side.path("runs").asLong(), Math.round(side.path("micros").asDouble() * 1000));
    }

    private static final long SLICE_NANOS = 250_000_000L;

    /** Warms every phase, then measures them in turns of {@link #SLICE_NANOS} until each ran MEASURE_NANOS. */
    private static List<Measured> interleaved(List<Runnable> phases) {
        for (Runnable phase : phases) {
            warm(phase);
        }
        long[] n = new long[phases.size()];
        long[] nanos = new long[phases.size()];
        while (nanos[phases.size() - 1] < MEASURE_NANOS) {
            for (int i = 0; i < phases.size(); i++) {
                long start = System.nanoTime();
                long end = start + SLICE_NANOS;
                long now;
                do {
                    phases.get(i).run();
                    n[i]++;
                    now = System.nanoTime();
                } while (now < end);
                nanos[i] += now - start;
            }
        }
        List<Measured> out = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            out.add(new Measured(n[i], nanos[i]));
        }
        return out;
    }

    private static void warm(Runnable work) {
        long warmupEnd = System.nanoTime() + WARMUP_NANOS;
        while (System.nanoTime() < warmupEnd) {
            work.run();
        }
    }

    private static Measured measure(Runnable work) {
        long start = System.nanoTime();
        long end = start + MEASURE_NANOS;
        long n = 0;
        long now;
        do {
            work.run();
            n++;
            now = System.nanoTime();
        } while (now < end);
        return new Measured(n, now - start);
    }

    private static String line(String name, Measured m, Measured unused) {
        return String.format(
                Locale.ROOT, "%-44s %9.0f runs/s  %10.1f µs/run", name, m.perSecond(), m.microsPerIteration());
    }

    private LoopBenchmark() {}
}
