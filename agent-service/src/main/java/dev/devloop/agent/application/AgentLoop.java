package dev.devloop.agent.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.domain.Step;
import dev.devloop.agent.domain.TokenUsage;
import dev.devloop.agent.domain.ToolCallRecord;
import dev.devloop.agent.ports.out.DownstreamException;
import dev.devloop.agent.ports.out.ModelPort;
import dev.devloop.agent.ports.out.RunRepositoryPort;
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

/**
 * The runner: call the model with the allowed tools, stop on a final answer, otherwise execute the
 * tool calls it asked for, feed the results back and repeat, up to the turn limit. Each step is
 * persisted before the next begins.
 */
public final class AgentLoop {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ModelPort model;
  private final ToolPort tools;
  private final RunRepositoryPort runs;
  private final LoopSettings settings;
  private final Clock clock;

  public AgentLoop(ModelPort model, ToolPort tools, RunRepositoryPort runs, LoopSettings settings, Clock clock) {
    this.model = model;
    this.tools = tools;
    this.runs = runs;
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
    List<Step> steps = new ArrayList<>(run.steps());
    TokenUsage usage = run.usage();
    List<ChatMessage> messages =
        Conversation.rebuild(definition.instructions(), run.input(), steps, settings.maxToolResultChars());
    java.util.Optional<Step> answered = Conversation.finalAnswer(steps);
    if (answered.isPresent()) {
      return finish(run, RunStatus.COMPLETED, answered.get().text(), null, usage, steps);
    }
    int maxTurns = Math.min(definition.limits().maxTurns(), settings.hardMaxTurns());
    try {
      for (ToolCall pending : Conversation.unansweredToolCalls(steps)) {
        runTool(run, pending, steps, messages, usage);
      }
      List<ToolSpec> toolSpecs = tools.specsFor(run.tenant(), run.agentType());
      for (int turn = Conversation.modelTurns(steps) + 1; turn <= maxTurns; turn++) {
        Instant started = clock.instant();
        GenerateResponse reply = model.generate(run.tenant(), new GenerateRequest(
            definition.provider(), definition.model(), List.copyOf(messages), toolSpecs, null, run.agentId()));
        TokenUsage callUsage = reply.usage() == null ? TokenUsage.ZERO
            : new TokenUsage(reply.usage().inputTokens(), reply.usage().outputTokens(), reply.usage().totalTokens());
        usage = usage.plus(callUsage);
        List<ToolCallRecord> calls = reply.wantsTools()
            ? reply.toolCalls().stream().map(AgentLoop::record).toList() : List.of();
        Step modelStep = Step.modelCall(steps.size(), started, elapsed(started), reply.text(), calls, callUsage,
            reply.finishReason(), reply.provider(), reply.model());
        steps.add(modelStep);
        runs.appendStep(run.tenant(), run.id(), modelStep, usage);
        if (!reply.wantsTools()) {
          return finish(run, RunStatus.COMPLETED, reply.text(), null, usage, steps);
        }
        messages.add(ChatMessage.assistant(reply.text(), reply.toolCalls()));
        for (ToolCall call : reply.toolCalls()) {
          runTool(run, call, steps, messages, usage);
        }
      }
      return finish(run, RunStatus.TRIPPED, null, "turn limit reached: " + maxTurns + " turns without a final answer",
          usage, steps);
    } catch (DownstreamException e) {
      return finish(run, RunStatus.FAILED, null, e.getMessage(), usage, steps);
    }
  }

  private void runTool(Run run, ToolCall call, List<Step> steps, List<ChatMessage> messages, TokenUsage usage) {
    Step toolStep = executeTool(run, call, steps.size());
    steps.add(toolStep);
    runs.appendStep(run.tenant(), run.id(), toolStep, usage);
    messages.add(ChatMessage.toolResult(call.id(), call.name(), toolMessage(toolStep, settings.maxToolResultChars())));
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

  private Run finish(Run run, RunStatus status, String result, String error, TokenUsage usage, List<Step> steps) {
    Run finished = run.finish(status, result, error, usage, steps, clock.instant());
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
}
