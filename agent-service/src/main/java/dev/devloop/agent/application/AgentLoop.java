package dev.devloop.agent.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.domain.Step;
import dev.devloop.agent.domain.StepKind;
import dev.devloop.agent.domain.TokenUsage;
import dev.devloop.agent.domain.ToolCallRecord;
import dev.devloop.agent.domain.safety.GuardrailDecision;
import dev.devloop.agent.domain.safety.GuardrailStage;
import dev.devloop.agent.domain.safety.Guardrails;
import dev.devloop.agent.domain.safety.Trip;
import dev.devloop.agent.domain.safety.Tripwires;
import dev.devloop.agent.ports.out.DownstreamException;
import dev.devloop.agent.ports.out.ModelPort;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import dev.devloop.agent.ports.out.SafetyEventsPort;
import dev.devloop.agent.ports.out.ToolPort;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.contracts.tools.ToolInvocationRequest;
import dev.devloop.contracts.tools.ToolInvocationResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runner: call the model with the allowed tools, stop on a final answer, otherwise execute the
 * tool calls it asked for, feed the results back and repeat, up to the turn limit. Guardrails check
 * the input, every answer and every tool call; tripwires watch time, tokens, turns, dangerous output
 * and anomalies. Each step is persisted before the next begins.
 */
public final class AgentLoop {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ModelPort model;
  private final ToolPort tools;
  private final RunRepositoryPort runs;
  private final SafetyEventsPort safety;
  private final Guardrails guardrails;
  private final Tripwires tripwires;
  private final AnomalyHistory history;
  private final LoopSettings settings;
  private final Clock clock;

  public AgentLoop(ModelPort model, ToolPort tools, RunRepositoryPort runs, SafetyEventsPort safety,
      Guardrails guardrails, Tripwires tripwires, AnomalyHistory history, LoopSettings settings, Clock clock) {
    this.model = model;
    this.tools = tools;
    this.runs = runs;
    this.safety = safety;
    this.guardrails = guardrails;
    this.tripwires = tripwires;
    this.history = history;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Executes {@code run} and returns it in a terminal state. A run that already has steps (one
   * resumed after a crash) continues from its last persisted step: the conversation is rebuilt from
   * the steps, and tool calls the model asked for but that were not recorded are executed with their
   * original idempotency keys, so tool-service replays any that had in fact run.
   */
  public Run execute(Run run, AgentDefinition definition) {
    Execution x = new Execution(run, definition);
    try {
      return x.go();
    } catch (Stop stop) {
      return finish(x, stop.status, null, stop.reason);
    } catch (DownstreamException e) {
      return finish(x, RunStatus.FAILED, null, e.getMessage());
    }
  }

  /** One run's mutable state while it executes. */
  private final class Execution {
    final Run run;
    final AgentDefinition definition;
    final List<Step> steps;
    TokenUsage usage;
    final List<ChatMessage> messages;

    Execution(Run run, AgentDefinition definition) {
      this.run = run;
      this.definition = definition;
      this.steps = new ArrayList<>(run.steps());
      this.usage = run.usage();
      this.messages = Conversation.rebuild(definition.instructions(), run.input(), steps, settings.maxToolResultChars());
    }

    Run go() {
      stopIfAlreadyStopped();
      Optional<Step> answered = Conversation.finalAnswer(steps);
      if (answered.isPresent()) {
        return finish(this, RunStatus.COMPLETED, answered.get().text(), null);
      }
      if (steps.isEmpty()) {
        guard(GuardrailStage.PROMPT, run.input());
      }
      for (ToolCall pending : Conversation.unansweredToolCalls(steps)) {
        runTool(pending);
      }
      List<ToolSpec> toolSpecs = tools.specsFor(run.tenant(), run.agentType());
      int maxTurns = Math.min(definition.limits().maxTurns(), settings.hardMaxTurns());
      for (int turn = Conversation.modelTurns(steps) + 1; turn <= maxTurns; turn++) {
        trip(tripwires.executionTime(Duration.between(run.createdAt(), clock.instant()), definition.limits().maxSeconds()));
        GenerateResponse reply = callModel(toolSpecs);
        guard(GuardrailStage.RESPONSE, reply.text());
        trip(tripwires.dangerousOutput(reply.text()));
        if (!reply.wantsTools()) {
          return finish(this, RunStatus.COMPLETED, reply.text(), null);
        }
        messages.add(ChatMessage.assistant(reply.text(), reply.toolCalls()));
        for (ToolCall call : reply.toolCalls()) {
          runTool(call);
        }
      }
      trip(tripwires.turns(maxTurns));
      throw new Stop(RunStatus.TRIPPED, "turn limit reached: " + maxTurns + " turns without a final answer");
    }

    private GenerateResponse callModel(List<ToolSpec> toolSpecs) {
      Instant started = clock.instant();
      GenerateResponse reply = model.generate(run.tenant(), new GenerateRequest(
          definition.provider(), definition.model(), List.copyOf(messages), toolSpecs, null, run.agentId()));
      TokenUsage callUsage = reply.usage() == null ? TokenUsage.ZERO
          : new TokenUsage(reply.usage().inputTokens(), reply.usage().outputTokens(), reply.usage().totalTokens());
      usage = usage.plus(callUsage);
      List<ToolCallRecord> calls = reply.wantsTools()
          ? reply.toolCalls().stream().map(AgentLoop::record).toList() : List.of();
      append(Step.modelCall(steps.size(), started, elapsed(started), reply.text(), calls, callUsage,
          reply.finishReason(), reply.provider(), reply.model()));
      trip(tripwires.tokens(usage.totalTokens(), definition.limits().maxTokens()));
      String metric = "tokens per call of " + run.agentType();
      trip(tripwires.anomaly(metric, history.snapshot(run.agentType()), callUsage.totalTokens()));
      history.add(run.agentType(), callUsage.totalTokens());
      return reply;
    }

    private void runTool(ToolCall call) {
      String arguments = text(call.arguments());
      guard(GuardrailStage.TOOL_CALL, call.name() + " " + (arguments == null ? "" : arguments));
      Step toolStep = executeTool(run, call, steps.size());
      append(toolStep);
      messages.add(ChatMessage.toolResult(call.id(), call.name(), toolMessage(toolStep, settings.maxToolResultChars())));
    }

    private void guard(GuardrailStage stage, String text) {
      for (GuardrailDecision decision : guardrails.check(stage, run.agentType(), text)) {
        append(Step.guardrail(steps.size(), clock.instant(), decision));
        safety.guardrailViolated(run, decision);
        if (decision.blocks()) {
          throw new Stop(RunStatus.GUARDRAIL_BLOCKED,
              "blocked by guardrail '" + decision.policy() + "' (" + stage.name().toLowerCase() + "): " + decision.reason());
        }
      }
    }

    private void trip(Optional<Trip> fired) {
      if (fired.isEmpty()) {
        return;
      }
      Trip trip = fired.get();
      append(Step.tripwire(steps.size(), clock.instant(), trip));
      safety.tripped(run, trip);
      if (trip.stops()) {
        throw new Stop(RunStatus.TRIPPED, "tripwire " + trip.kind().name().toLowerCase() + ": " + trip.reason());
      }
    }

    /** A resumed run whose last safety step had already stopped it finishes the same way. */
    private void stopIfAlreadyStopped() {
      for (Step step : steps) {
        if (step.kind() == StepKind.GUARDRAIL && "BLOCK".equals(step.status())) {
          throw new Stop(RunStatus.GUARDRAIL_BLOCKED, "blocked by guardrail '" + step.policy() + "': " + step.error());
        }
        if (step.kind() == StepKind.TRIPWIRE && "STOP".equals(step.status())) {
          throw new Stop(RunStatus.TRIPPED, "tripwire " + step.policy().toLowerCase() + ": " + step.error());
        }
      }
    }

    private void append(Step step) {
      steps.add(step);
      runs.appendStep(run.tenant(), run.id(), step, usage);
    }
  }

  private Step executeTool(Run run, ToolCall call, int index) {
    Instant started = clock.instant();
    ToolCallRecord record = record(call);
    // The model's tool-call id, scoped by run in tool-service, makes a retried or resumed call a replay.
    ToolInvocationRequest request = new ToolInvocationRequest(
        call.arguments(), run.agentType(), run.agentId(), run.id(), call.id());
    try {
      ToolInvocationResult result = tools.invoke(run.tenant(), call.name(), request);
      return Step.toolCall(index, started, elapsed(started), record, result.status(), text(result.output()),
          result.error(), result.replayed());
    } catch (DownstreamException e) {
      if (e.status() == 0 || e.status() >= 500) {
        throw e;
      }
      String status = switch (e.status()) {
        case 403 -> "DENIED";
        case 404 -> "UNKNOWN_TOOL";
        default -> "REJECTED";
      };
      return Step.toolCall(index, started, elapsed(started), record, status, null, e.getMessage(), false);
    }
  }

  /** What the model reads back for a tool step: status, output or error, cut to a bound. */
  static String toolMessage(Step toolStep, int maxChars) {
    ObjectNode message = JSON.createObjectNode();
    message.put("status", toolStep.status());
    if (toolStep.outputJson() != null) {
      message.set("output", parse(toolStep.outputJson()));
    }
    if (toolStep.error() != null) {
      message.put("error", toolStep.error());
    }
    String text = message.toString();
    return text.length() <= maxChars ? text : text.substring(0, maxChars) + "…[truncated]";
  }

  private Run finish(Execution x, RunStatus status, String result, String error) {
    Run finished = x.run.finish(status, result, error, x.usage, x.steps, clock.instant());
    runs.finish(finished);
    return finished;
  }

  private long elapsed(Instant started) {
    return Duration.between(started, clock.instant()).toMillis();
  }

  private static ToolCallRecord record(ToolCall call) {
    return new ToolCallRecord(call.id(), call.name(), text(call.arguments()));
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.toString();
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      return JSON.getNodeFactory().textNode(json);
    }
  }

  /** Ends the run early with a terminal status (guardrail block, tripwire). */
  private static final class Stop extends RuntimeException {
    final RunStatus status;
    final String reason;

    Stop(RunStatus status, String reason) {
      super(reason, null, false, false);
      this.status = status;
      this.reason = reason;
    }
  }
}
