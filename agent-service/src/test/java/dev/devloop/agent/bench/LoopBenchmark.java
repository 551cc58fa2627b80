package dev.devloop.agent.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.devloop.agent.adapters.out.mongo.BenchRuns;
import dev.devloop.agent.application.AgentLoop;
import dev.devloop.agent.application.AnomalyHistory;
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
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.contracts.tools.ToolInvocationRequest;
import dev.devloop.contracts.tools.ToolInvocationResult;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent loop's own overhead, with a zero-latency model and tool (in-process stubs answering at
 * once), against the stubs' raw throughput measured in the same run. One run = 3 steps: a model call
 * asking for a tool, the tool call, a model call answering. Measured with runs kept in memory (the
 * loop's CPU cost) and with every step persisted to the real MongoDB (the durable cost). Each phase
 * is bounded in time; the whole benchmark takes well under two minutes.
 *
 * <p>Run: {@code agent-service/bench/loop-benchmark.sh} (not part of {@code verify}).
 */
public final class LoopBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int STEPS_PER_RUN = 3;
  private static final long WARMUP_NANOS = 3_000_000_000L;
  private static final long MEASURE_NANOS = 10_000_000_000L;

  /** Answers at once: a tool call when the conversation has no tool result yet, else the final answer. */
  static final class InstantModel implements ModelPort {
    private final GenerateResponse tool;
    private final GenerateResponse answer = new GenerateResponse("done", List.of(), new Usage(40, 5, 45),
        "stub", "stub", "stop", false, 0);

    InstantModel() {
      tool = new GenerateResponse(null, List.of(new ToolCall("call_1", "store_fact",
          JSON.createObjectNode().put("entity", "bench").put("attribute", "x").put("value", "y"))),
          new Usage(30, 10, 40), "stub", "stub", "tool_calls", false, 0);
    }

    @Override
    public GenerateResponse generate(String tenant, GenerateRequest request) {
      return request.messages().get(request.messages().size() - 1).role().equals("tool") ? answer : tool;
    }
  }

  /** Executes at once. */
  static final class InstantTools implements ToolPort {
    private final List<ToolSpec> specs = List.of(new ToolSpec("store_fact", "store",
        JSON.createObjectNode().put("type", "object")));
    private final ToolInvocationResult result = new ToolInvocationResult("inv", "store_fact",
        ToolInvocationResult.SUCCEEDED, JSON.createObjectNode().put("tier", "long"), null, 0, false);

    @Override
    public List<ToolSpec> specsFor(String tenant, String agentType) {
      return specs;
    }

    @Override
    public ToolInvocationResult invoke(String tenant, String toolId, ToolInvocationRequest request) {
      return result;
    }
  }

  public static void main(String[] args) {
    String mongoUrl = System.getenv().getOrDefault("DEVLOOP_MONGO_URL", "mongodb://127.0.0.1:27017");
    AgentDefinition definition = new AgentDefinition("assistant", AgentLevel.CHILD, "bench", "Be brief.", List.of(),
        null, null, new AgentLimits(8, 1_000_000, 600, 0));
    InstantModel model = new InstantModel();
    InstantTools tools = new InstantTools();

    // baseline: what a run's three stub interactions cost by themselves (two model answers, one tool call)
    GenerateRequest first = new GenerateRequest(null, null,
        List.of(dev.devloop.contracts.provider.ChatMessage.system("s"), dev.devloop.contracts.provider.ChatMessage.user("u")),
        tools.specsFor("t", "assistant"), null, "a");
    GenerateRequest second = new GenerateRequest(null, null,
        List.of(dev.devloop.contracts.provider.ChatMessage.toolResult("call_1", "store_fact", "{}")), null, null, "a");
    ToolInvocationRequest invocation = new ToolInvocationRequest(JSON.createObjectNode(), "assistant", "a", "r", "k");
    Measured stub = measure(() -> {
      model.generate("t", first);
      tools.invoke("t", "store_fact", invocation);
      model.generate("t", second);
    });

    Measured memory = measure(loopRun(new InMemoryRuns(), model, tools, definition));
    Measured mongo;
    try (MongoClient client = MongoClients.create(mongoUrl)) {
      String database = "devloop_bench_" + Long.toHexString(System.nanoTime());
      RunRepositoryPort runs = BenchRuns.mongo(client, database);
      try {
        mongo = measure(loopRun(runs, model, tools, definition));
      } finally {
        client.getDatabase(database).drop();
      }
    }

    System.out.println("agent loop benchmark: zero-latency model and tool stubs; 1 run = " + STEPS_PER_RUN + " steps");
    print("stub baseline (3 stub calls)", stub, null);
    print("loop, runs in memory", memory, stub);
    print("loop, steps persisted to MongoDB", mongo, stub);
  }

  private static Runnable loopRun(RunRepositoryPort runs, ModelPort model, ToolPort tools, AgentDefinition definition) {
    AgentLoop loop = new AgentLoop(model, tools, runs, new RecordingSafety(),
        new Guardrails(List.of(
            new GuardrailPolicy("prompt-injection", GuardrailStage.PROMPT, PolicyKind.PROMPT_INJECTION, Enforcement.BLOCK,
                null, 0, null),
            new GuardrailPolicy("response-pii", GuardrailStage.RESPONSE, PolicyKind.PII, Enforcement.WARN, null, 0, null))),
        new Tripwires(new TripwireSettings(Map.of(), List.of("rm\\s+-rf\\s+/"), 3.0, 20)), new AnomalyHistory(200),
        new LoopSettings(32_768, 25, 16_384), Clock.systemUTC());
    Clock clock = Clock.systemUTC();
    return () -> {
      Agent agent = Agent.spawn("bench", definition, null, clock.instant());
      Run run = Run.start("bench", agent, "remember x", null, clock.instant());
      runs.create(run);
      Run done = loop.execute(run, definition);
      if (done.status() != RunStatus.COMPLETED || done.steps().size() != STEPS_PER_RUN) {
        throw new IllegalStateException("unexpected run outcome " + done.status() + " " + done.error());
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

  private static Measured measure(Runnable work) {
    long warmupEnd = System.nanoTime() + WARMUP_NANOS;
    while (System.nanoTime() < warmupEnd) {
      work.run();
    }
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

  private static void print(String name, Measured m, Measured baseline) {
    String line = String.format(Locale.ROOT, "%-36s %12.0f runs/s  %10.2f µs/run", name, m.perSecond(),
        m.microsPerIteration());
    if (baseline != null) {
      double overheadPerStep = (m.microsPerIteration() - baseline.microsPerIteration()) / STEPS_PER_RUN;
      line += String.format(Locale.ROOT, "  overhead %8.2f µs/step  throughput %.3e× of the stub baseline",
          overheadPerStep, m.perSecond() / baseline.perSecond());
    }
    System.out.println(line);
  }

  private LoopBenchmark() {}
}
