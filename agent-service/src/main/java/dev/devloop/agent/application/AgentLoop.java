package dev.devloop.agent.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.InjectionFlag;
import dev.devloop.agent.domain.ModelPricing;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.domain.Step;
import dev.devloop.agent.domain.StepKind;
import dev.devloop.agent.domain.TokenUsage;
import dev.devloop.agent.domain.ToolCallRecord;
import dev.devloop.agent.domain.prompt.PromptTemplate;
import dev.devloop.agent.domain.prompt.PromptTemplates;
import dev.devloop.agent.domain.safety.GuardrailDecision;
import dev.devloop.agent.domain.safety.GuardrailStage;
import dev.devloop.agent.domain.safety.Guardrails;
import dev.devloop.agent.domain.safety.Trip;
import dev.devloop.agent.domain.safety.Tripwires;
import dev.devloop.agent.ports.out.DownstreamException;
import dev.devloop.agent.ports.out.ModelPort;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import dev.devloop.agent.ports.out.SafetyEventsPort;
import dev.devloop.agent.ports.out.TextValidatorPort;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The runner: call the model with the allowed tools, stop on a final answer, otherwise execute the
 * tool calls it asked for, feed the results back and repeat, up to the turn limit. Guardrails check
 * the input, every answer and every tool call; tripwires watch time, tokens, turns, dangerous output
 * and anomalies, cost and spawned children. Each step is persisted before the next begins.
 *
 * <p>The system prompt is the definition's prompt template rendered with its instructions. Tools come
 * from tool-service, plus the local (orchestration) tools, which run here; an agent spawned with a tool
 * scope sees and may call only those. Several tool calls in one answer run in parallel (bounded) and
 * are recorded in the order the model gave them.
 */
public final class AgentLoop {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tool-step statuses of calls that were refused or never ran: they do not count against call limits. */
    static final java.util.Set<String> NOT_EXECUTED =
            java.util.Set.of("DENIED", "REJECTED", "UNKNOWN_TOOL", "CANCELLED", AgentLoop.APPROVAL_REJECTED);
    /** Tool-step status of a held call an operator rejected; the model reads {@code {"rejected":true,"reason":…}}. */
    static final String APPROVAL_REJECTED = "APPROVAL_REJECTED";
    /**
     * How old a run without steps may be for its first step boundary to take the cancel state the run carries (from
     * its insert, or the claim that handed it over) instead of reading the store. A cancel stored in between is seen
     * at the next boundary: through the first model step's append, before any tool call starts.
     */
    static final Duration FRESH_RUN = Duration.ofSeconds(1);

    private final ModelPort model;
    private final ToolPort tools;
    private final RunRepositoryPort runs;
    private final SafetyEventsPort safety;
    private final Guardrails guardrails;
    private final Tripwires tripwires;
    private final AnomalyHistory history;
    private final LoopSettings settings;
    private final Clock clock;
    private final LocalTools local;
    private final PromptTemplates templates;
    private final ModelPricing pricing;
    private final Executor toolExecutor;
    private final LeaseKeeper leases;
    private final TextValidatorPort validator;
    private final ApprovalGate approvals;
    private final dev.devloop.agent.domain.safety.Enforcement globalGuardrailMode;
    /** Carries the run's persistence through a short store outage (NONE: each write once). */
    private final dev.devloop.agent.ports.out.StoreRetryPort store;
    /** Says when the service shuts down: runs stop at their next step boundary, unfinished, for another replica. */
    private final java.util.function.BooleanSupplier draining;
    /** How a model call waits out provider-gateway being away (NONE: the first failure is final). */
    private final SiblingWait siblingWait;

    private AgentLoop(Builder b) {
        this.model = java.util.Objects.requireNonNull(b.model, "model");
        this.tools = java.util.Objects.requireNonNull(b.tools, "tools");
        this.runs = java.util.Objects.requireNonNull(b.runs, "runs");
        this.safety = java.util.Objects.requireNonNull(b.safety, "safety events");
        this.guardrails = java.util.Objects.requireNonNull(b.guardrails, "guardrails");
        this.tripwires = java.util.Objects.requireNonNull(b.tripwires, "tripwires");
        this.history = java.util.Objects.requireNonNull(b.history, "anomaly history");
        this.settings = java.util.Objects.requireNonNull(b.settings, "settings");
        this.clock = java.util.Objects.requireNonNull(b.clock, "clock");
        this.local = b.local;
        this.templates = b.templates;
        this.pricing = b.pricing;
        this.toolExecutor = b.toolExecutor;
        this.leases = b.leases;
        this.validator = b.validator;
        this.approvals = b.approvals;
        this.globalGuardrailMode = b.globalGuardrailMode;
        this.store = b.store;
        this.draining = b.draining;
        this.siblingWait = java.util.Objects.requireNonNull(b.siblingWait, "sibling wait");
    }

    /** A loop over these ports and safety checks; the rest defaults as {@link Builder} says. */
    public static Builder builder(
            ModelPort model,
            ToolPort tools,
            RunRepositoryPort runs,
            SafetyEventsPort safety,
            Guardrails guardrails,
            Tripwires tripwires,
            AnomalyHistory history,
            LoopSettings settings,
            Clock clock) {
        Builder b = new Builder();
        b.model = model;
        b.tools = tools;
        b.runs = runs;
        b.safety = safety;
        b.guardrails = guardrails;
        b.tripwires = tripwires;
        b.history = history;
        b.settings = settings;
        b.clock = clock;
        return b;
    }

    /**
     * What a loop is made of. Defaults: no local tools, the plain template ({@code {instructions}}), no prices, tool
     * calls of one answer run on the caller's thread, no lease renewal, no remote validator, no approval gate, each
     * policy's own guardrail mode, each store write once, never draining, a model call failing is final at once.
     */
    public static final class Builder {
        private ModelPort model;
        private ToolPort tools;
        private RunRepositoryPort runs;
        private SafetyEventsPort safety;
        private Guardrails guardrails;
        private Tripwires tripwires;
        private AnomalyHistory history;
        private LoopSettings settings;
        private Clock clock;
        private LocalTools local = LocalTools.NONE;
        private PromptTemplates templates = new PromptTemplates(List.of(new PromptTemplate(
                AgentDefinition.DEFAULT_TEMPLATE,
                PromptTemplate.Kind.BASIC,
                "{instructions}",
                List.of("instructions"),
                null,
                null)));
        private ModelPricing pricing = new ModelPricing(new ModelPricing.Price(0, 0), Map.of());
        private Executor toolExecutor = Runnable::run;
        private LeaseKeeper leases = LeaseKeeper.NONE;
        private TextValidatorPort validator = TextValidatorPort.NONE;
        private ApprovalGate approvals = ApprovalGate.NONE;
        private dev.devloop.agent.domain.safety.Enforcement globalGuardrailMode;
        private dev.devloop.agent.ports.out.StoreRetryPort store = dev.devloop.agent.ports.out.StoreRetryPort.NONE;
        private java.util.function.BooleanSupplier draining = () -> false;
        private SiblingWait siblingWait = SiblingWait.NONE;

        private Builder() {}

        /** The tools executed here (the orchestration tools). */
        public Builder localTools(LocalTools value) {
            this.local = value;
            return this;
        }

        public Builder templates(PromptTemplates value) {
            this.templates = value;
            return this;
        }

        public Builder pricing(ModelPricing value) {
            this.pricing = value;
            return this;
        }

        /** Where the tool calls of one answer run in parallel (bounded by the settings; the caller takes part). */
        public Builder toolExecutor(Executor value) {
            this.toolExecutor = value;
            return this;
        }

        /** Renews a run's lease while it executes. */
        public Builder leases(LeaseKeeper value) {
            this.leases = value;
            return this;
        }

        /** The remote validator of remote-validation guardrail policies. */
        public Builder validator(TextValidatorPort value) {
            this.validator = value;
            return this;
        }

        /** Holds graph-writing calls of definitions that ask for approval. */
        public Builder approvals(ApprovalGate value) {
            this.approvals = value;
            return this;
        }

        /** Enforces every violation of a definition that sets no {@code guardrailMode} (null: each policy's own). */
        public Builder globalGuardrailMode(dev.devloop.agent.domain.safety.Enforcement value) {
            this.globalGuardrailMode = value;
            return this;
        }

        /** Carries a run's persistence through a short store outage. */
        public Builder store(dev.devloop.agent.ports.out.StoreRetryPort value) {
            this.store = value;
            return this;
        }

        /** Says when the service shuts down: runs then yield at their next step boundary. */
        public Builder draining(java.util.function.BooleanSupplier value) {
            this.draining = value;
            return this;
        }

        /** Waits out provider-gateway being away during a model call (bounded; the wait is not charged to the run). */
        public Builder siblingWait(SiblingWait value) {
            this.siblingWait = value;
            return this;
        }

        public AgentLoop build() {
            return new AgentLoop(this);
        }
    }

    /**
     * Executes {@code run} and returns it in a terminal state. A run that already has steps (one
     * resumed after a crash) continues from its last persisted step: the conversation is rebuilt from
     * the steps, and tool calls the model asked for but that were not recorded are executed with their
     * original idempotency keys, so tool-service replays any that had in fact run.
     */
    public Run execute(Run run, AgentDefinition definition) {
        return execute(run, definition, List.of());
    }

    /** Executes {@code run} for an agent limited to {@code toolScope} (empty: every tool its type may call). */
    public Run execute(Run run, AgentDefinition definition, List<String> toolScope) {
        Execution x;
        try {
            x = new Execution(run, definition, toolScope);
        } catch (IllegalArgumentException badTemplate) {
            Run failed = run.finish(
                    RunStatus.FAILED,
                    null,
                    "prompt template: " + badTemplate.getMessage(),
                    run.usage(),
                    run.steps(),
                    clock.instant());
            runs.finish(failed);
            return failed;
        }
        // the run's heartbeat: its lease is renewed while it executes, whatever it waits on (model, tools, children)
        try (LeaseKeeper.Hold heartbeat = leases.hold(run.tenant(), run.id())) {
            return x.go();
        } catch (Park park) {
            Run parked = x.run.awaitApproval(x.usage, x.steps, clock.instant());
            store.run("await-approval", () -> runs.awaitApproval(parked, park.pending));
            return parked;
        } catch (Yield yield) {
            // shutting down: every step so far is persisted; the run stays RUNNING for another replica to resume
            x.flush();
            return x.run;
        } catch (Stop stop) {
            return finish(x, stop.status, null, stop.reason);
        } catch (DownstreamException e) {
            return finish(x, RunStatus.FAILED, null, e.getMessage());
        } catch (RuntimeException e) {
            // leaving the loop unfinished (an outage, a bug): a held answer is stored so a resume does not ask again
            try {
                x.flush();
            } catch (RuntimeException notStored) {
                e.addSuppressed(notStored);
            }
            throw e;
        }
    }

    /** One run's mutable state while it executes. */
    private final class Execution {
        final Run run;
        final AgentDefinition definition;
        final List<Step> steps;
        TokenUsage usage;
        final List<ChatMessage> messages;
        final List<String> scope;
        double costUsd;
        int spawned;
        volatile java.util.Set<String> offeredLocal = java.util.Set.of();
        /**
         * The run's cancel request as the store returned it with the last step append or check, or as a fresh run
         * carries it ({@link #FRESH_RUN}) (empty: none), or null once a model or tool call started since: the next
         * step-boundary check then reads the store.
         */
        volatile Optional<String> knownCancel;

        java.util.Set<String> offeredAll = java.util.Set.of();
        /** Time this execution waited for a sibling service that was away: not charged to the time budget. */
        long outageWaitMs;
        /** The final answer's step, in {@link #steps} but not yet stored (see {@link #hold}). */
        Step unsaved;

        final Map<String, java.util.OptionalInt> limits = new java.util.HashMap<>();

        Execution(Run run, AgentDefinition definition, List<String> toolScope) {
            this.run = run;
            this.definition = definition;
            this.scope = List.copyOf(toolScope);
            this.steps = new ArrayList<>(run.steps());
            this.usage = run.usage();
            this.messages =
                    Conversation.rebuild(systemPrompt(definition), run.input(), steps, settings.maxToolResultChars());
            for (Step step : steps) {
                if (step.kind() == StepKind.MODEL_CALL && step.usage() != null) {
                    costUsd += step.usage().costUsd() != null
                            ? step.usage().costUsd()
                            : pricing.cost(step.model(), step.usage());
                } else if (step.kind() == StepKind.TOOL_CALL && local.handles(step.tool())) {
                    spawned += OrchestrationTools.spawnedBy(step.outputJson()).size();
                }
            }
            // a run without steps inserted (or claimed) within FRESH_RUN: the cancel state it carries is the store's
            // as of that write, so its first step boundary does not read it again
            if (steps.isEmpty()
                    && run.status() == RunStatus.RUNNING
                    && !clock.instant().isAfter(run.createdAt().plus(FRESH_RUN))) {
                knownCancel = Optional.ofNullable(run.cancelReason());
            }
        }

        Run go() {
            stopIfAlreadyStopped();
            stopIfCancelled();
            Optional<Step> answered = Conversation.finalAnswer(steps);
            if (answered.isPresent()) {
                return finish(this, RunStatus.COMPLETED, answered.get().text(), null);
            }
            if (steps.isEmpty()) {
                guard(GuardrailStage.PROMPT, run.input());
            }
            List<ToolSpec> toolSpecs = toolSpecs();
            List<ToolCall> pending = Conversation.unansweredToolCalls(steps);
            if (!steps.isEmpty()) {
                tripBeforeResuming(); // a resumed run: every tripwire before its next step acts (the pending calls
                // included)
            }
            if (!pending.isEmpty()) {
                runTools(pending);
            }
            int maxTurns = Math.min(definition.limits().maxTurns(), settings.hardMaxTurns());
            for (int turn = Conversation.modelTurns(steps) + 1; turn <= maxTurns; turn++) {
                // time spent awaiting approvals is not charged to the budget
                trip(tripwires.executionTime(workingTime(), definition.limits().maxSeconds()));
                stopIfCancelled();
                GenerateResponse reply = callModel(toolSpecs);
                guard(GuardrailStage.RESPONSE, reply.text());
                trip(tripwires.dangerousOutput(reply.text()));
                if (!reply.wantsTools()) {
                    return finish(this, RunStatus.COMPLETED, reply.text(), null);
                }
                messages.add(ChatMessage.assistant(reply.text(), reply.toolCalls()));
                runTools(reply.toolCalls());
            }
            stopIfCancelled();
            trip(tripwires.turns(maxTurns));
            throw new Stop(RunStatus.TRIPPED, "turn limit reached: " + maxTurns + " turns without a final answer");
        }

        private GenerateResponse callModel(List<ToolSpec> toolSpecs) {
            Instant started = clock.instant();
            knownCancel = null; // a cancel may land while the model answers
            GenerateResponse reply = generate(new GenerateRequest(
                    definition.provider(), definition.model(), List.copyOf(messages), toolSpecs, null, run.agentId()));
            TokenUsage tokens = reply.usage() == null
                    ? TokenUsage.ZERO
                    : new TokenUsage(
                            reply.usage().inputTokens(),
                            reply.usage().outputTokens(),
                            reply.usage().totalTokens());
            // the provider's own figure when it has a price for the model, else the configured price table's estimate
            Double reported = reply.usage() == null ? null : reply.usage().costUsd();
            double callCost = reported != null && reported >= 0 && Double.isFinite(reported)
                    ? reported
                    : pricing.cost(reply.model(), tokens);
            TokenUsage callUsage = tokens.withCost(callCost);
            usage = usage.plus(callUsage);
            List<ToolCallRecord> calls = reply.wantsTools()
                    ? reply.toolCalls().stream().map(AgentLoop::record).toList()
                    : List.of();
            Step step = Step.modelCall(
                    steps.size(),
                    started,
                    elapsed(started),
                    reply.text(),
                    calls,
                    callUsage,
                    reply.finishReason(),
                    reply.provider(),
                    reply.model(),
                    reasoning(reply),
                    injection(reply));
            if (reply.wantsTools()) {
                append(step);
            } else {
                hold(step); // the final answer: written with the run's end unless something else comes first
            }
            trip(tripwires.tokens(usage.totalTokens(), definition.limits().maxTokens()));
            costUsd += callCost;
            double budget = definition.limits().maxCostUsd() > 0
                    ? definition.limits().maxCostUsd()
                    : settings.defaultMaxCostUsd();
            trip(tripwires.cost(costUsd, budget));
            trip(tripwires.anomaly(
                    "tokens per call of " + run.agentType(),
                    history.baseline(run.agentType()),
                    callUsage.totalTokens()));
            history.add(run.agentType(), callUsage.totalTokens());
            return reply;
        }

        /**
         * One model call. While provider-gateway is away (unreachable, answering 503, or the circuit to it open) the
         * call is repeated as {@link SiblingWait} says, bounded by its {@code maxDuration}: the run stays RUNNING and
         * shows why ({@code waitingFor}), a cancel or a shutdown still stops it between attempts, and the time waited
         * is added to its {@code outageWaitMs}, not charged to its time budget. Any other failure (a refusal, a spent
         * budget, a provider's error) is final at once. Only failed calls are repeated: an answer is recorded as a step
         * before anything else happens, and a resumed run continues after its recorded steps, so no answer is asked for
         * twice once recorded.
         */
        private GenerateResponse generate(GenerateRequest request) {
            long waitStarted = 0;
            int retries = 0;
            try {
                while (true) {
                    try {
                        return model.generate(run.tenant(), request);
                    } catch (DownstreamException e) {
                        if (!e.away() || !siblingWait.waits()) {
                            throw e;
                        }
                        long now = System.nanoTime();
                        if (retries == 0) {
                            waitStarted = now;
                            showWait(e);
                        }
                        long left = siblingWait.maxDuration().toNanos() - (now - waitStarted);
                        if (left <= 0) {
                            throw e;
                        }
                        retries++;
                        long pause = Math.min(
                                siblingWait.pause(retries, e.retryAfter()).toNanos(), left);
                        pause(pause, e);
                        knownCancel = null; // read the cancel request again: one read per attempt
                        stopIfCancelled();
                    }
                }
            } finally {
                if (retries > 0) {
                    long waited = (System.nanoTime() - waitStarted) / 1_000_000;
                    outageWaitMs += waited;
                    store.run("wait-ended", () -> runs.waitEnded(run.tenant(), run.id(), waited));
                }
            }
        }

        /** The reason shown on the run while it waits; only informative, so a store that fails it is ignored. */
        private void showWait(DownstreamException e) {
            try {
                runs.waitingFor(
                        run.tenant(),
                        run.id(),
                        e.service() + " is away (" + e.getMessage() + "); the model call is retried for up to "
                                + siblingWait.maxDuration().toSeconds() + " s");
            } catch (RuntimeException ignored) {
                // the run waits all the same; the store's own outage is met at the next step
            }
        }

        private void pause(long nanos, DownstreamException cause) {
            try {
                java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw cause;
            }
        }

        /** The run's working time (see {@link Run#workingTime}) less what this execution waited for siblings. */
        private Duration workingTime() {
            return run.workingTime(clock.instant()).minusMillis(outageWaitMs);
        }

        /**
         * The specs tool-service allows this type, then the local tools the definition allows, narrowed to the
         * agent's scope. The spawning tools ({@link OrchestrationTools#SPAWNING}) are granted by the definition
         * (non-empty {@code allowedChildTypes}), so a tenant-registered parent type gets them like a built-in one;
         * tool-service may only switch one off for the tenant (its registration {@code enabled: false}). For the
         * other agent tools tool-service registers (kind {@code agent}, i.e. {@code handoff}): when it lists some
         * for this type, such a tool must be listed too, so both permission checks apply.
         */
        private List<ToolSpec> toolSpecs() {
            List<ToolSpec> specs = new ArrayList<>();
            java.util.Set<String> listedLocal = new java.util.HashSet<>();
            for (ToolSpec spec : tools.specsFor(run.tenant(), run.agentType())) {
                if (local.handles(spec.name())) {
                    listedLocal.add(spec.name());
                } else {
                    specs.add(spec);
                }
            }
            boolean registry = listedLocal.stream().anyMatch(OrchestrationTools.REGISTERED::contains);
            for (ToolSpec spec : local.specsFor(definition)) {
                if (OrchestrationTools.SPAWNING.contains(spec.name())) {
                    if (tools.enabled(run.tenant(), spec.name())) {
                        specs.add(spec);
                    }
                } else if (!registry
                        || !OrchestrationTools.REGISTERED.contains(spec.name())
                        || listedLocal.contains(spec.name())) {
                    specs.add(spec);
                }
            }
            List<ToolSpec> offered = scope.isEmpty()
                    ? specs
                    : specs.stream().filter(s -> scope.contains(s.name())).toList();
            offeredLocal = offered.stream()
                    .map(ToolSpec::name)
                    .filter(local::handles)
                    .collect(java.util.stream.Collectors.toSet());
            offeredAll = offered.stream().map(ToolSpec::name).collect(java.util.stream.Collectors.toSet());
            return offered;
        }

        /**
         * Checks every call against the guardrails first (a block stops the run before any of them runs),
         * then executes them, in parallel when there are several, and records the results in order. When the
         * definition asks for approval of graph writes, each call of a graph-writing tool is held instead: a
         * proposal and an APPROVAL step are recorded and the others run; once every call is executed or
         * held, a run with undecided proposals parks (AWAITING_APPROVAL) until they are decided. An approved
         * call runs with the proposal id as idempotency key (so exactly once), a rejected one answers the
         * model {@code {"rejected": true, "reason": …}}.
         */
        private void runTools(List<ToolCall> calls) {
            stopIfCancelled(); // a cancel that landed during the model call: none of its tool calls starts
            java.util.Set<String> held = heldCalls();
            for (ToolCall call : calls) {
                if (!held.contains(call.id())) { // a held call was checked when it was first asked for
                    String arguments = text(call.arguments());
                    guard(GuardrailStage.TOOL_CALL, call.name() + " " + (arguments == null ? "" : arguments));
                }
            }
            List<Step> overLimit = overLimit(calls);
            List<dev.devloop.agent.domain.Proposal> gated = gate(calls, overLimit);
            List<Integer> order =
                    java.util.stream.IntStream.range(0, calls.size()).boxed().toList();
            List<Step> results = Parallel.map(
                    order,
                    i -> {
                        if (overLimit.get(i) != null) {
                            return overLimit.get(i);
                        }
                        dev.devloop.agent.domain.Proposal proposal = gated.get(i);
                        if (proposal == null) {
                            return executeTool(this, calls.get(i), calls.get(i).id());
                        }
                        return switch (proposal.status()) {
                            case PENDING -> null;
                            case APPROVED -> executeTool(this, calls.get(i), proposal.id());
                            case REJECTED ->
                                Step.toolCall(
                                        -1,
                                        clock.instant(),
                                        0,
                                        record(calls.get(i)),
                                        APPROVAL_REJECTED,
                                        JSON.createObjectNode()
                                                .put("rejected", true)
                                                .put("reason", proposal.reason())
                                                .toString(),
                                        null,
                                        false);
                            // only an ended run's proposals expire; should one be met anyway, its call never runs
                            case EXPIRED ->
                                Step.toolCall(
                                        -1,
                                        clock.instant(),
                                        0,
                                        record(calls.get(i)),
                                        APPROVAL_REJECTED,
                                        JSON.createObjectNode()
                                                .put("rejected", true)
                                                .put("reason", "the proposal expired")
                                                .toString(),
                                        null,
                                        false);
                        };
                    },
                    settings.maxParallelTools(),
                    toolExecutor);
            List<String> pending = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                ToolCall call = calls.get(i);
                if (results.get(i) == null) {
                    String proposalId = gated.get(i).id();
                    pending.add(proposalId);
                    if (!held.contains(call.id())) {
                        append(Step.approval(steps.size(), clock.instant(), record(call), proposalId));
                    }
                    continue;
                }
                Step toolStep = results.get(i).withIndex(steps.size());
                append(toolStep);
                messages.add(ChatMessage.toolResult(
                        call.id(), call.name(), toolMessage(toolStep, settings.maxToolResultChars())));
                if (local.handles(call.name())) {
                    spawned +=
                            OrchestrationTools.spawnedBy(toolStep.outputJson()).size();
                }
            }
            trip(tripwires.childCount(spawned, definition.limits().maxChildren()));
            if (!pending.isEmpty()) {
                throw new Park(pending);
            }
        }

        /** Tool calls already held for approval (an APPROVAL step recorded). */
        private java.util.Set<String> heldCalls() {
            java.util.Set<String> held = new java.util.HashSet<>();
            for (Step step : steps) {
                if (step.kind() == StepKind.APPROVAL) {
                    held.add(step.toolCallId());
                }
            }
            return held;
        }

        /**
         * The proposal of each call the approval gate holds (null for the calls that run at once): only for
         * definitions asking for approval of graph writes, and only tool-service tools this agent may call
         * whose registration says {@code writesGraph} (a refused call is refused, not proposed).
         */
        private List<dev.devloop.agent.domain.Proposal> gate(List<ToolCall> calls, List<Step> overLimit) {
            List<dev.devloop.agent.domain.Proposal> gated = new ArrayList<>(
                    java.util.Collections.nCopies(calls.size(), (dev.devloop.agent.domain.Proposal) null));
            if (!definition.approveGraphWrites()) {
                return gated;
            }
            String reasoning = null;
            for (int i = steps.size() - 1; i >= 0 && reasoning == null; i--) {
                if (steps.get(i).kind() == StepKind.MODEL_CALL) {
                    reasoning =
                            steps.get(i).reasoning() == null ? "" : steps.get(i).reasoning();
                }
            }
            for (int i = 0; i < calls.size(); i++) {
                ToolCall call = calls.get(i);
                boolean callable = overLimit.get(i) == null
                        && !local.handles(call.name())
                        && offeredAll.contains(call.name())
                        && (scope.isEmpty() || scope.contains(call.name()));
                if (callable && tools.writesGraph(run.tenant(), call.name())) {
                    gated.set(
                            i,
                            approvals.propose(
                                    run,
                                    record(call),
                                    reasoning == null || reasoning.isEmpty() ? null : reasoning,
                                    clock.instant()));
                }
            }
            return gated;
        }

        /**
         * Per-run call limits ({@code maxCallsPerRun} of the tool's registration in tool-service, else the
         * configured default): counts the calls this run already made of each tool (refused ones excluded),
         * then the calls of this answer in the model's order; a call past its tool's limit gets a refusal
         * step (not executed, explained to the model), the others {@code null}.
         */
        private List<Step> overLimit(List<ToolCall> calls) {
            Map<String, Integer> used = new java.util.HashMap<>();
            for (Step step : steps) {
                if (step.kind() == StepKind.TOOL_CALL && !NOT_EXECUTED.contains(step.status())) {
                    used.merge(step.tool(), 1, Integer::sum);
                }
            }
            List<Step> refused = new ArrayList<>(java.util.Collections.nCopies(calls.size(), (Step) null));
            for (int i = 0; i < calls.size(); i++) {
                ToolCall call = calls.get(i);
                java.util.OptionalInt max = limitOf(call.name());
                if (max.isPresent() && used.merge(call.name(), 1, Integer::sum) > max.getAsInt()) {
                    refused.set(
                            i,
                            Step.toolCall(
                                    -1,
                                    clock.instant(),
                                    0,
                                    record(call),
                                    "DENIED",
                                    null,
                                    "'" + call.name() + "' may be called at most " + max.getAsInt()
                                            + " times per run (rule maxCallsPerRun); this call was not executed",
                                    false));
                }
            }
            return refused;
        }

        private java.util.OptionalInt limitOf(String tool) {
            if (!offeredAll.contains(tool)) {
                return java.util.OptionalInt.empty(); // refused anyway: not a tool this agent may call
            }
            return limits.computeIfAbsent(tool, name -> {
                java.util.OptionalInt registered = tools.maxCallsPerRun(run.tenant(), name);
                Integer fallback = settings.defaultMaxCallsPerRun().get(name);
                return registered.isPresent()
                        ? registered
                        : fallback == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(fallback);
            });
        }

        /**
         * Checks {@code text} against the policies of {@code stage}. Each violation is enforced under the
         * definition's {@code guardrailMode}, else the service's global mode, else the policy's own: BLOCK and
         * WARN record a GUARDRAIL step and publish it (BLOCK then stops the run); a LOG imposed by a mode only
         * logs and counts (a policy's own LOG keeps its step, as before modes existed).
         */
        private void guard(GuardrailStage stage, String text) {
            dev.devloop.agent.domain.safety.Enforcement mode =
                    definition.guardrailMode() != null ? definition.guardrailMode() : globalGuardrailMode;
            List<GuardrailDecision> decisions = new ArrayList<>();
            for (GuardrailDecision found : guardrails.check(stage, run.agentType(), text)) {
                decisions.add(
                        mode == null
                                ? found
                                : new GuardrailDecision(found.policy(), found.stage(), mode, found.reason()));
            }
            if (text != null) {
                List<dev.devloop.agent.domain.safety.GuardrailPolicy> remote =
                        guardrails.remote(stage, run.agentType());
                if (!remote.isEmpty()) {
                    flush(); // a held answer is stored before the text leaves the process
                }
                for (dev.devloop.agent.domain.safety.GuardrailPolicy policy : remote) {
                    remoteDecision(mode == null ? policy : policy.withMode(mode), stage, text)
                            .ifPresent(decisions::add);
                }
            }
            for (GuardrailDecision decision : decisions) {
                if (mode == dev.devloop.agent.domain.safety.Enforcement.LOG
                        && decision.mode() == dev.devloop.agent.domain.safety.Enforcement.LOG) {
                    flush(); // stored before it is published
                    safety.guardrailLogged(run, decision);
                    continue;
                }
                append(Step.guardrail(steps.size(), clock.instant(), decision));
                safety.guardrailViolated(run, decision);
                if (decision.blocks()) {
                    throw new Stop(
                            RunStatus.GUARDRAIL_BLOCKED,
                            "blocked by guardrail '" + decision.policy() + "' ("
                                    + stage.name().toLowerCase() + "): " + decision.reason());
                }
            }
        }

        /**
         * A remote-validation policy: the validator's violations under the policy's mode; when the validator
         * cannot answer, fail-closed is a violation under the policy's mode (a BLOCK policy blocks), fail-open
         * a LOG decision saying the text went unchecked.
         */
        private Optional<GuardrailDecision> remoteDecision(
                dev.devloop.agent.domain.safety.GuardrailPolicy policy, GuardrailStage stage, String text) {
            try {
                TextValidatorPort.Verdict verdict = validator.validate(
                        run.tenant(), text, policy.piiKinds(), policy.patterns(), policy.maxLength());
                return verdict.valid()
                        ? Optional.empty()
                        : Optional.of(new GuardrailDecision(
                                policy.name(),
                                stage,
                                policy.mode(),
                                "validator found " + String.join("; ", verdict.violations())));
            } catch (DownstreamException e) {
                return Optional.of(
                        policy.failOpen()
                                ? new GuardrailDecision(
                                        policy.name(),
                                        stage,
                                        dev.devloop.agent.domain.safety.Enforcement.LOG,
                                        "validator unavailable, text not checked (fail-open): " + e.getMessage())
                                : new GuardrailDecision(
                                        policy.name(),
                                        stage,
                                        policy.mode(),
                                        "validator unavailable, text treated as a violation (fail-closed): "
                                                + e.getMessage()));
            }
        }

        /**
         * A run resumed after a crash, a takeover or an approval: time (its working time, without approval waits and
         * the time nobody executed it), tokens, cost and spawned children are checked before anything else happens.
         * A stopping trip stops it; a logging one already recorded is not recorded again.
         */
        private void tripBeforeResuming() {
            tripOnce(tripwires.executionTime(workingTime(), definition.limits().maxSeconds()));
            tripOnce(tripwires.tokens(usage.totalTokens(), definition.limits().maxTokens()));
            double budget = definition.limits().maxCostUsd() > 0
                    ? definition.limits().maxCostUsd()
                    : settings.defaultMaxCostUsd();
            tripOnce(tripwires.cost(costUsd, budget));
            tripOnce(tripwires.childCount(spawned, definition.limits().maxChildren()));
        }

        private void tripOnce(Optional<Trip> fired) {
            if (fired.isPresent()
                    && !fired.get().stops()
                    && steps.stream()
                            .anyMatch(s -> s.kind() == StepKind.TRIPWIRE
                                    && fired.get().kind().name().equalsIgnoreCase(s.policy()))) {
                return;
            }
            trip(fired);
        }

        private void trip(Optional<Trip> fired) {
            if (fired.isEmpty()) {
                return;
            }
            Trip trip = fired.get();
            append(Step.tripwire(steps.size(), clock.instant(), trip));
            safety.tripped(run, trip);
            if (trip.stops()) {
                throw new Stop(
                        RunStatus.TRIPPED, "tripwire " + trip.kind().name().toLowerCase() + ": " + trip.reason());
            }
        }

        /**
         * A step boundary: a cancel request stored on the run (by any replica) ends it {@code CANCELLED}
         * before another model or tool call starts.
         */
        private void stopIfCancelled() {
            if (draining.getAsBoolean()) {
                throw new Yield();
            }
            Optional<String> reason = cancelReason();
            if (reason.isPresent()) {
                throw new Stop(RunStatus.CANCELLED, "cancelled: " + reason.get());
            }
        }

        /** A resumed run whose last safety step had already stopped it finishes the same way. */
        private void stopIfAlreadyStopped() {
            for (Step step : steps) {
                if (step.kind() == StepKind.GUARDRAIL && "BLOCK".equals(step.status())) {
                    throw new Stop(
                            RunStatus.GUARDRAIL_BLOCKED,
                            "blocked by guardrail '" + step.policy() + "': " + step.error());
                }
                if (step.kind() == StepKind.TRIPWIRE && "STOP".equals(step.status())) {
                    throw new Stop(
                            RunStatus.TRIPPED, "tripwire " + step.policy().toLowerCase() + ": " + step.error());
                }
            }
        }

        private void append(Step step) {
            flush();
            steps.add(step);
            write(step);
        }

        /**
         * Takes the final answer's step without writing it: {@link #finish} writes it with the run's end in one
         * round trip. Only in-process checks may run while it is held; anything else (a step, a remote check, an
         * event, leaving the loop) writes it first, so the answer is still recorded before anything else happens.
         */
        private void hold(Step step) {
            steps.add(step);
            unsaved = step;
        }

        /** Writes the held final answer, if any. */
        void flush() {
            Step held = unsaved;
            if (held != null) {
                unsaved = null;
                write(held);
            }
        }

        private void write(Step step) {
            TokenUsage total = usage;
            // idempotent per step index, so a retry after a lost acknowledgement never records the step twice; the
            // same round trip tells whether a cancel was requested, which the next step boundary then need not read
            knownCancel =
                    store.call("append-step", () -> runs.appendStepReadingCancel(run.tenant(), run.id(), step, total));
        }

        /**
         * The run's pending cancel request: as known from the last step append or check when no model or tool call
         * started since (the same step boundary), else read from the store — at most one read per boundary.
         */
        Optional<String> cancelReason() {
            Optional<String> known = knownCancel;
            if (known == null) {
                known = store.call("cancel-check", () -> runs.cancelRequested(run.tenant(), run.id()));
                knownCancel = known;
            }
            return known;
        }
    }

    /** Executes one call; {@code key} is its idempotency key (the model's call id, or the approved proposal's id). */
    private Step executeTool(Execution x, ToolCall call, String key) {
        Run run = x.run;
        int index = -1;
        Instant started = clock.instant();
        ToolCallRecord record = record(call);
        if (!x.scope.isEmpty() && !x.scope.contains(call.name())) {
            return Step.toolCall(
                    index,
                    started,
                    0,
                    record,
                    "DENIED",
                    null,
                    "'" + call.name() + "' is outside this agent's tool scope " + x.scope,
                    false);
        }
        if (local.handles(call.name()) && !x.offeredLocal.contains(call.name())) {
            return Step.toolCall(
                    index,
                    started,
                    0,
                    record,
                    "DENIED",
                    null,
                    "'" + call.name() + "' is not one of the tools agents of type " + run.agentType() + " may call",
                    false);
        }
        if (x.cancelReason().isPresent()) {
            return Step.toolCall(
                    index, started, 0, record, "CANCELLED", null, "not executed: the run was cancelled", false);
        }
        x.knownCancel = null; // a cancel may land while this call (or a parallel one) runs
        // The model's tool-call id, scoped by run in tool-service, makes a retried or resumed call a replay.
        ToolInvocationRequest request =
                new ToolInvocationRequest(call.arguments(), run.agentType(), run.agentId(), run.id(), key);
        try {
            ToolInvocationResult result;
            if (local.handles(call.name())) {
                // a local tool may wait on child runs for long without a step: keep this run's lease meanwhile
                try (LeaseKeeper.Hold lease = leases.hold(run.tenant(), run.id())) {
                    // local tools are idempotent per (run, call id): a store outage mid-way is ridden out by repeating
                    // it
                    result = store.call("local-tool", () -> local.execute(run, x.definition, call));
                }
            } else {
                result = tools.invoke(run.tenant(), call.name(), request);
            }
            return Step.toolCall(
                    index,
                    started,
                    elapsed(started),
                    record,
                    result.status(),
                    text(result.output()),
                    result.error(),
                    result.replayed());
        } catch (DownstreamException e) {
            if (e.away()) {
                // still away after the call's own wait window (tool-service, or its store, down for long): not a
                // failure of the run, which its runner resumes, repeating this call under the same key
                throw new SiblingAwayException(e);
            }
            if (e.status() == 0 || e.status() >= 500) {
                throw e;
            }
            String status =
                    switch (e.status()) {
                        case 403 -> "DENIED";
                        case 404 -> "UNKNOWN_TOOL";
                        default -> "REJECTED";
                    };
            return Step.toolCall(index, started, elapsed(started), record, status, null, e.getMessage(), false);
        }
    }

    /**
     * The model's visible reasoning: the provider's when it returned some, else — when the model asked for
     * tools — the text that came with the calls. Stored as given: agent-service redacts no step text (PII
     * redaction of prompts is provider-gateway's).
     */
    /** provider-gateway's prompt-injection screening of the call, for the step (null when it did not screen). */
    static InjectionFlag injection(GenerateResponse reply) {
        var screening = reply.injection();
        if (screening == null) {
            return null;
        }
        List<String> sources = screening.sources() == null
                ? List.of()
                : screening.sources().entrySet().stream()
                        .filter(e -> e.getValue() != null && e.getValue() > 0)
                        .sorted(java.util.Map.Entry.<String, Double>comparingByValue()
                                .reversed())
                        .map(java.util.Map.Entry::getKey)
                        .toList();
        return new InjectionFlag(screening.score(), screening.flagged(), sources);
    }

    static String reasoning(GenerateResponse reply) {
        if (reply.reasoning() != null && !reply.reasoning().isBlank()) {
            return reply.reasoning();
        }
        return reply.wantsTools() && reply.text() != null && !reply.text().isBlank() ? reply.text() : null;
    }

    /** The definition's template rendered with what the definition says about the agent. */
    private String systemPrompt(AgentDefinition d) {
        return templates.render(d.promptTemplate(), promptValues(d));
    }

    /** The variables every prompt template is given for definition {@code d}. */
    static Map<String, String> promptValues(AgentDefinition d) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("instructions", d.instructions());
        values.put("agent_type", d.type());
        values.put("description", d.description() == null ? "" : d.description());
        values.put("level", d.level().name().toLowerCase());
        values.put("child_types", d.allowedChildTypes().isEmpty() ? "none" : String.join(", ", d.allowedChildTypes()));
        values.put("handoff_targets", d.handoffTargets().isEmpty() ? "none" : String.join(", ", d.handoffTargets()));
        return values;
    }

    /** What the model reads back for a tool step: status, output or error, cut to a bound. */
    static String toolMessage(Step toolStep, int maxChars) {
        if (APPROVAL_REJECTED.equals(toolStep.status()) && toolStep.outputJson() != null) {
            return cut(toolStep.outputJson(), maxChars); // the operator's rejection, as the tool's result
        }
        ObjectNode message = JSON.createObjectNode();
        message.put("status", toolStep.status());
        if (toolStep.outputJson() != null) {
            message.set("output", parse(toolStep.outputJson()));
        }
        if (toolStep.error() != null) {
            message.put("error", toolStep.error());
        }
        return cut(message.toString(), maxChars);
    }

    private static String cut(String text, int maxChars) {
        return text.length() <= maxChars ? text : text.substring(0, maxChars) + "…[truncated]";
    }

    private Run finish(Execution x, RunStatus status, String result, String error) {
        Run finished = x.run.finish(status, result, error, x.usage, x.steps, clock.instant());
        Step last = x.unsaved;
        x.unsaved = null;
        if (last == null) {
            store.run("finish", () -> runs.finish(finished));
        } else {
            // the final answer and the run's end in one write: a crash is either before both (the model call is
            // repeated on resume, as before a lone append) or after both (the run has ended)
            store.run("finish", () -> runs.appendLastStepAndFinish(finished, last));
        }
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

    /** Parks the run until an operator decides the proposals {@code pending}. */
    private static final class Park extends RuntimeException {
        final List<String> pending;

        Park(List<String> pending) {
            super("awaiting approval of " + pending, null, false, false);
            this.pending = List.copyOf(pending);
        }
    }

    /** Leaves the run at a step boundary, unfinished, because the service shuts down. */
    private static final class Yield extends RuntimeException {
        Yield() {
            super("the service is shutting down", null, false, false);
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
