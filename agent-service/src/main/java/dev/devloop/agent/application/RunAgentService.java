package dev.devloop.agent.application;

import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentStatus;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.domain.Step;
import dev.devloop.agent.domain.StepKind;
import dev.devloop.agent.ports.in.InvalidRunRequestException;
import dev.devloop.agent.ports.in.RunAgentUseCase;
import dev.devloop.agent.ports.in.RunFinishedException;
import dev.devloop.agent.ports.in.SpawnAgentCommand;
import dev.devloop.agent.ports.in.StartRunCommand;
import dev.devloop.agent.ports.in.SubmitTaskCommand;
import dev.devloop.agent.ports.in.UnknownAgentException;
import dev.devloop.agent.ports.out.AgentDefinitionsPort;
import dev.devloop.agent.ports.out.AgentRepositoryPort;
import dev.devloop.agent.ports.out.LifecyclePublisherPort;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import dev.devloop.agent.ports.out.RunResultsPublisherPort;
import dev.devloop.contracts.logging.LogFields;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/** Starts runs on agents (spawning one when given a type), executes, resumes and announces them. */
public final class RunAgentService implements RunAgentUseCase, ChildRuns {
    private static final Logger LOG = Logger.getLogger(RunAgentService.class);
    /** How many abandoned runs one recovery pass takes over, so one replica does not grab them all. */
    static final int RECOVERY_BATCH = 20;
    /** How often a caller waiting on a child run that another thread or replica executes looks again. */
    static final long CHILD_POLL_MS = 200;
    /** Longest cancel reason kept on a run. */
    static final int MAX_CANCEL_REASON_CHARS = 1_000;
    /**
     * How many times a run whose store (or a tool call's callee) stayed away beyond its retries is taken back by this
     * replica (each look at the store waits up to the store-retry window, 60 s; each repeated tool call up to its own
     * 90 s): a few minutes — about the run lease, after which any replica's recovery would take the run anyway.
     */
    static final int MAX_OUTAGE_RESUMES = 4;

    private final AgentDefinitionsPort definitions;
    private final AgentRepositoryPort agents;
    private final RunRepositoryPort runs;
    private final LifecyclePublisherPort lifecycle;
    private final RunResultsPublisherPort results;
    private final AgentHierarchyService hierarchy;
    private final AgentLoop loop;
    private final LoopSettings settings;
    private final Executor background;
    private final Clock clock;
    private final AgentAvailability availability;
    private final ApprovalService approvals;
    private final dev.devloop.agent.ports.out.StoreRetryPort store;
    /** Set by {@link #drain}: no recovery pass takes runs, runs in flight yield at their next step boundary. */
    private final ShutdownSignal shutdown;

    private final java.util.concurrent.atomic.AtomicInteger executing = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * {@code availability} refuses work for an unresponsive or overloaded agent; {@code approvals} (null: none) is told
     * when a run ends (its undecided proposals expire) and by recovery; {@code store} carries the store operations of
     * runs in flight through a short outage; {@code shutdown} is set by {@link #drain}.
     */
    public RunAgentService(
            AgentDefinitionsPort definitions,
            AgentRepositoryPort agents,
            RunRepositoryPort runs,
            LifecyclePublisherPort lifecycle,
            RunResultsPublisherPort results,
            AgentHierarchyService hierarchy,
            AgentLoop loop,
            LoopSettings settings,
            Executor background,
            Clock clock,
            AgentAvailability availability,
            ApprovalService approvals,
            dev.devloop.agent.ports.out.StoreRetryPort store,
            ShutdownSignal shutdown) {
        this.definitions = definitions;
        this.agents = agents;
        this.runs = runs;
        this.lifecycle = lifecycle;
        this.results = results;
        this.hierarchy = hierarchy;
        this.loop = loop;
        this.settings = settings;
        this.background = background;
        this.clock = clock;
        this.availability = availability;
        this.approvals = approvals;
        this.store = store;
        this.shutdown = shutdown;
    }

    /** Whether the service is shutting down (runs yield at their next step boundary). */
    public boolean draining() {
        return shutdown.draining();
    }

    /** Runs executing in this process right now. */
    public int executing() {
        return executing.get();
    }

    /**
     * Graceful shutdown: stops taking abandoned runs, lets every run in flight stop at its next step boundary
     * (its steps are persisted; it stays RUNNING and its lease is released so another replica resumes it at
     * once), waits for them at most {@code grace}, then releases every lease this replica still holds (runs
     * stuck in a long model or tool call). Returns how many runs were still executing when the grace ended.
     */
    public int drain(java.time.Duration grace) {
        shutdown.startDraining();
        long deadline = System.nanoTime() + grace.toNanos();
        while (executing.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = executing.get();
        int released = runs.releaseAllLeases();
        LOG.info("drained: " + left + " run(s) still executing after the grace; " + released
                + " lease(s) released for another replica");
        return left;
    }

    @Override
    public Run runToCompletion(StartRunCommand command) {
        checkInput(command.input());
        Agent agent = resolveAgent(command.tenant(), command.agentRef());
        AgentDefinition latest = latestDefinition(agent);
        Run run = versioned(
                Run.start(command.tenant(), agent, command.input(), command.traceId(), clock.instant()), latest);
        runs.create(run);
        takeSlot(agent, run);
        try {
            return execute(agent, run, latest);
        } catch (dev.devloop.agent.ports.out.StoreUnavailableException e) {
            background.execute(() -> resumeAfterOutage(agent, run, e));
            throw e; // the caller learns the store is away (503); the run goes on here once it is back
        } catch (SiblingAwayException e) {
            background.execute(() -> resumeAfterOutage(agent, run, e));
            return runs.find(run.tenant(), run.id()).orElse(run); // still RUNNING: it goes on in the background
        }
    }

    @Override
    public Run runInBackground(StartRunCommand command) {
        checkInput(command.input());
        Agent agent = resolveAgent(command.tenant(), command.agentRef());
        AgentDefinition latest = latestDefinition(agent);
        Run run = versioned(
                Run.start(command.tenant(), agent, command.input(), command.traceId(), clock.instant()), latest);
        runs.create(run);
        takeSlot(agent, run);
        executeInBackground(agent, run, latest);
        return run;
    }

    @Override
    public Optional<Run> submitTask(SubmitTaskCommand command) {
        checkInput(command.input());
        String runId = Run.idForTask(command.tenant(), command.taskId());
        if (runs.find(command.tenant(), runId).isPresent()) {
            LOG.info("task " + command.taskId() + " already accepted as " + runId + "; redelivery ignored");
            return Optional.empty();
        }
        Agent agent = resolveAgent(command.tenant(), command.agentRef());
        AgentDefinition latest = latestDefinition(agent);
        Run run = versioned(
                Run.forTask(
                        command.tenant(), command.taskId(), agent, command.input(), command.traceId(), clock.instant()),
                latest);
        if (!runs.createIfAbsent(run)) {
            // a concurrent delivery of the same task won the insert; the agent spawned for this one is not needed
            if (!Agent.looksLikeId(command.agentRef())) {
                hierarchy.retire(agent.tenant(), agent.id());
            }
            return Optional.empty();
        }
        takeSlot(agent, run);
        executeInBackground(agent, run, latest);
        return Optional.of(run);
    }

    @Override
    public int resumeAbandoned() {
        if (shutdown.draining()) {
            return 0; // shutting down: another replica takes them
        }
        // runs AWAITING_APPROVAL are not taken (no worker waits for them) unless decided and left un-resumed
        ApprovalService gate = approvals;
        // decisions whose replica died before striking them off their runs: struck off now, their runs resumed
        int settled = gate == null ? 0 : gate.settleStranded(RECOVERY_BATCH);
        List<Run> claimed = runs.claimAbandoned(RECOVERY_BATCH);
        claimed.forEach(this::resumeClaimed);
        return claimed.size() + settled;
    }

    /**
     * Resumes a run AWAITING_APPROVAL whose proposals are all decided (or that was cancelled while it
     * waited) on a worker; a no-op when another caller resumed it or proposals are still pending.
     */
    public void resumeDecided(String tenant, String runId) {
        runs.claimDecided(tenant, runId).ifPresent(this::resumeClaimed);
    }

    private void resumeClaimed(Run run) {
        Optional<Agent> agent = agents.find(run.tenant(), run.agentId());
        if (agent.isEmpty()) {
            finishAndAnnounce(run.finish(
                    RunStatus.FAILED,
                    null,
                    "agent " + run.agentId() + " no longer exists",
                    run.usage(),
                    run.steps(),
                    clock.instant()));
            return;
        }
        LOG.info("resuming run " + run.id() + " after " + run.steps().size() + " persisted steps");
        // a taken-over run keeps (or, resumed after approval, takes back) its slot: a set of run ids, so never twice
        agents.acquireRunSlot(run.tenant(), run.agentId(), run.id(), 0);
        executeInBackground(agent.get(), run);
    }

    @Override
    public Run run(String tenant, Agent agent, String key, String input, String traceId) {
        checkInput(input);
        String runId = Run.idForTask(tenant, key);
        if (runs.find(tenant, runId).isEmpty()) {
            AgentDefinition latest = latestDefinition(agent);
            Run run = versioned(Run.forTask(tenant, key, agent, input, traceId, clock.instant()), latest);
            if (runs.createIfAbsent(run)) {
                takeSlot(agent, run);
                try {
                    Run after = execute(agent, run, latest);
                    // a child run awaiting approval: the parent waits for its end like for any run still going
                    return after.status().isTerminal() ? after : awaitTerminal(tenant, runId, agent);
                } catch (dev.devloop.agent.ports.out.StoreUnavailableException e) {
                    // the store stayed away: the child run goes on here once it is back (its parent too, and then
                    // finds it by its key)
                    background.execute(() -> resumeAfterOutage(agent, run, e));
                    throw e;
                } catch (SiblingAwayException e) {
                    // a sibling stayed away: the child run goes on in the background, its parent waits for it
                    background.execute(() -> resumeAfterOutage(agent, run, e));
                    return awaitTerminal(tenant, runId, agent);
                } catch (RuntimeException e) {
                    LOG.error("child run " + run.id() + " failed", e);
                    return failInternally(run, e);
                }
            }
        }
        return awaitTerminal(tenant, runId, agent);
    }

    /**
     * Waits for a child run an earlier attempt started (a resumed parent repeating its tool call); the
     * recovery job resumes that run if its runner died. Bounded by the child type's time budget.
     */
    private Run awaitTerminal(String tenant, String runId, Agent agent) {
        long budgetSeconds = definitions
                        .definition(tenant, agent.type())
                        .map(d -> d.limits().maxSeconds())
                        .orElse(300L)
                + 60;
        long deadline = System.nanoTime() + budgetSeconds * 1_000_000_000L;
        while (true) {
            Run current = store.call("child-run-read", () -> runs.find(tenant, runId))
                    .orElseThrow(() -> new IllegalStateException("child run " + runId + " vanished"));
            if (current.status().isTerminal()) {
                return current;
            }
            if (System.nanoTime() > deadline) {
                return current.finish(
                        RunStatus.FAILED,
                        null,
                        "child run " + runId + " did not finish within " + budgetSeconds + " s",
                        current.usage(),
                        current.steps(),
                        clock.instant());
            }
            try {
                Thread.sleep(CHILD_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for child run " + runId, e);
            }
        }
    }

    @Override
    public Optional<Run> findRun(String tenant, String runId) {
        return runs.find(tenant, runId);
    }

    @Override
    public Optional<Run> cancel(String tenant, String runId, String reason) {
        String why = reason == null || reason.isBlank() ? "cancelled by request" : reason.strip();
        if (why.length() > MAX_CANCEL_REASON_CHARS) {
            throw new InvalidRunRequestException("reason", "reason exceeds " + MAX_CANCEL_REASON_CHARS + " characters");
        }
        Optional<Run> after = runs.requestCancel(tenant, runId, why);
        after.ifPresent(run -> {
            if (run.status().isTerminal() && run.status() != RunStatus.CANCELLED) {
                throw new RunFinishedException(run.status().name(), "run " + runId + " already ended " + run.status());
            }
            LogFields.of("tenant", tenant, "runId", runId, "status", run.status())
                    .info(LOG, "cancel requested");
        });
        if (after.isPresent() && after.get().status() == RunStatus.AWAITING_APPROVAL) {
            resumeDecided(tenant, runId); // nobody executes a waiting run: resume it so it ends CANCELLED
        }
        return after;
    }

    @Override
    public List<AgentDefinition> agentTypes(String tenant) {
        return definitions.definitions(tenant);
    }

    private void checkInput(String input) {
        if (input.length() > settings.maxInputChars()) {
            throw new InvalidRunRequestException("input", "input exceeds " + settings.maxInputChars() + " characters");
        }
    }

    private Agent resolveAgent(String tenant, String ref) {
        if (Agent.looksLikeId(ref)) {
            Agent existing = agents.find(tenant, ref)
                    .orElseThrow(() -> new UnknownAgentException(ref, "no agent '" + ref + "'"));
            if (!existing.isLive()) {
                throw new InvalidRunRequestException(
                        "agent", "agent '" + ref + "' is " + existing.status() + " and cannot run tasks");
            }
            availability.requireAvailable(existing); // never give work to an unresponsive or overloaded agent
            return existing;
        }
        return hierarchy.spawn(new SpawnAgentCommand(tenant, ref, null));
    }

    /**
     * The definition a fresh run starts with, read before its insert so that the insert records its version (one
     * store round trip fewer than a separate update); null when the type is gone, which the execution then reports.
     */
    private AgentDefinition latestDefinition(Agent agent) {
        return store.call("definition", () -> definitions.definition(agent.tenant(), agent.type()))
                .orElse(null);
    }

    private static Run versioned(Run fresh, AgentDefinition latest) {
        return latest == null ? fresh : fresh.withDefinitionVersion(latest.version());
    }

    private void executeInBackground(Agent agent, Run run) {
        executeInBackground(agent, run, null);
    }

    /** {@code known}: the definition the run was created with (null: read it). */
    private void executeInBackground(Agent agent, Run run, AgentDefinition known) {
        background.execute(() -> {
            try {
                execute(agent, run, known);
            } catch (dev.devloop.agent.ports.out.StoreUnavailableException | SiblingAwayException e) {
                resumeAfterOutage(agent, run, e);
            } catch (RuntimeException e) {
                LOG.error("background run " + run.id() + " failed", e);
                failInternally(run, e);
            }
        });
    }

    /**
     * The store stayed away longer than a run's store retries allow (a run's operation gave up after
     * {@code store-retry.max-duration}), or a tool call's callee stayed away for the call's whole wait window. The run is
     * not failed and not left for its lease (minutes): this replica, which still holds it, waits for the store (each
     * look retried like any store operation), takes the run back — only while it is still RUNNING and owned here, a
     * compare-and-set against any other replica's takeover — and resumes it from its persisted steps, at most
     * {@link #MAX_OUTAGE_RESUMES} times; then, or when shutting down, it is left to its lease and recovery. A model
     * answer or tool result not yet recorded is asked for again (tool calls keep their idempotency keys, so
     * tool-service replays them). Bounded also by the run's time budget: a tool call's wait is charged to it.
     */
    private void resumeAfterOutage(Agent agent, Run run, RuntimeException outage) {
        RuntimeException last = outage;
        for (int attempt = 1; attempt <= MAX_OUTAGE_RESUMES && !shutdown.draining(); attempt++) {
            RuntimeException cause = last;
            LOG.warn("run " + run.id() + " paused by an outage: " + cause.getMessage()
                    + "; resumed here once the dependency is back");
            try {
                Optional<Run> back = store.call("reclaim", () -> runs.reclaimOwn(run.tenant(), run.id()));
                if (back.isEmpty()) {
                    LOG.info("run " + run.id() + " ended or was taken over during the outage");
                    return;
                }
                Run held = back.get();
                LOG.info("run " + run.id() + " resumed by its runner after the outage, "
                        + held.steps().size() + " persisted steps");
                execute(agent, held);
                return;
            } catch (dev.devloop.agent.ports.out.StoreUnavailableException | SiblingAwayException again) {
                last = again;
            } catch (RuntimeException e) {
                LOG.error("run " + run.id() + " failed after the outage", e);
                failInternally(run, e);
                return;
            }
        }
        RuntimeException gaveUp = last;
        LOG.warn("run " + run.id() + " left to recovery (lease): " + gaveUp.getMessage());
    }

    private Run execute(Agent agent, Run started) {
        return execute(agent, started, null);
    }

    /** {@code known}: the latest definition, read when the run was created (null: read it now). */
    private Run execute(Agent agent, Run started, AgentDefinition known) {
        executing.incrementAndGet();
        try {
            return executeCounted(agent, started, known);
        } finally {
            executing.decrementAndGet();
        }
    }

    private Run executeCounted(Agent agent, Run started, AgentDefinition known) {
        AgentDefinition latest = known != null
                ? known
                : store.call("definition", () -> definitions.definition(agent.tenant(), agent.type()))
                        .orElseThrow(() -> new UnknownAgentException(
                                agent.type(), "agent type '" + agent.type() + "' is no longer defined"));
        Run run = started;
        AgentDefinition definition = latest;
        if (run.definitionVersion() == null) {
            store.run(
                    "definition-version",
                    () -> runs.recordDefinitionVersion(started.tenant(), started.id(), latest.version()));
            run = run.withDefinitionVersion(latest.version());
        } else if (run.definitionVersion() != latest.version()) {
            // a resumed run keeps the version it started with, while the type's next runs use the new one
            int version = run.definitionVersion();
            definition = store.call("definition", () -> definitions.definition(agent.tenant(), agent.type(), version))
                    .orElse(latest);
        }
        setStatus(agent, AgentStatus.BUSY);
        try {
            Run finished = loop.execute(run, definition, agent.toolScope());
            if (finished.status() == RunStatus.RUNNING) {
                // yielded at a step boundary because the service shuts down: another replica resumes it at once
                store.run("release-lease", () -> runs.releaseLease(finished.tenant(), finished.id()));
                LogFields.of(
                                "tenant",
                                finished.tenant(),
                                "runId",
                                finished.id(),
                                "steps",
                                finished.steps().size())
                        .info(LOG, "run yielded for shutdown");
                return finished;
            }
            if (!finished.status().isTerminal()) {
                LogFields.of(
                                "tenant",
                                finished.tenant(),
                                "runId",
                                finished.id(),
                                "steps",
                                finished.steps().size())
                        .info(LOG, "run awaiting approval");
                agents.releaseRunSlot(
                        finished.tenant(), finished.agentId(), finished.id()); // a parked run holds no worker
                return finished;
            }
            ended(finished);
            retireSpawnedChildren(finished);
            LogFields.of(
                            "tenant", finished.tenant(),
                            "runId", finished.id(),
                            "status", finished.status(),
                            "steps", finished.steps().size())
                    .info(LOG, "run finished");
            results.finished(finished);
            return finished;
        } finally {
            try {
                // one conditional write: ACTIVE again unless retired meanwhile (before: a read, then an update)
                store.call(
                                "agent-status",
                                () -> agents.updateStatusIfLive(agent.tenant(), agent.id(), AgentStatus.ACTIVE))
                        .ifPresent(lifecycle::statusChanged);
            } catch (RuntimeException e) {
                // the agent's displayed status only; the run's own outcome is already stored
                LOG.warn("could not set agent " + agent.id() + " ACTIVE: " + e.getMessage());
            }
        }
    }

    /** Agents a run spawned through its tools are its helpers: they do not outlive it. */
    private void retireSpawnedChildren(Run finished) {
        for (Step step : finished.steps()) {
            if (step.kind() != StepKind.TOOL_CALL
                    || !"SUCCEEDED".equals(step.status())
                    || !OrchestrationTools.NAMES.contains(step.tool())) {
                continue;
            }
            for (String child : OrchestrationTools.spawnedBy(step.outputJson())) {
                try {
                    agents.find(finished.tenant(), child)
                            .filter(Agent::isLive)
                            .ifPresent(a -> hierarchy.retire(finished.tenant(), a.id()));
                } catch (RuntimeException e) {
                    LOG.warn("could not retire child " + child + " of run " + finished.id(), e);
                }
            }
        }
    }

    /** An unexpected failure ends the run FAILED with its steps and usage so far, announced like any end. */
    private Run failInternally(Run run, RuntimeException e) {
        Run failed = run.finish(
                RunStatus.FAILED, null, "internal error: " + e.getMessage(), run.usage(), run.steps(), clock.instant());
        finishAndAnnounce(failed);
        return failed;
    }

    private void finishAndAnnounce(Run failed) {
        runs.finish(failed);
        ended(failed);
        results.finished(failed);
    }

    /** Whatever way a run ended: its slot is freed and its undecided proposals expire. */
    private void ended(Run finished) {
        store.run("release-slot", () -> agents.releaseRunSlot(finished.tenant(), finished.agentId(), finished.id()));
        ApprovalService gate = approvals;
        if (gate != null) {
            store.run(
                    "expire-proposals", () -> gate.runEnded(finished)); // compare-and-set per proposal: safe to repeat
        }
    }

    /**
     * Takes a concurrent-run slot of the agent for a run just created — atomically against the definition's
     * {@code maxConcurrentRuns}, so of two starts racing for the last slot one is refused — or discards the run
     * and refuses (409 agent-unavailable). Slots left by runs that ended without freeing theirs (their replica
     * died in between) are reclaimed before refusing.
     */
    private void takeSlot(Agent agent, Run run) {
        int max = definitions
                .definition(agent.tenant(), agent.type())
                .map(d -> d.limits().maxConcurrentRuns())
                .orElse(0);
        if (agents.acquireRunSlot(agent.tenant(), agent.id(), run.id(), max)) {
            return;
        }
        for (String holder : agents.runSlots(agent.tenant(), agent.id())) {
            boolean over = runs.find(agent.tenant(), holder)
                    .map(r -> r.status().isTerminal())
                    .orElse(false);
            if (over) {
                agents.releaseRunSlot(agent.tenant(), agent.id(), holder);
            }
        }
        if (agents.acquireRunSlot(agent.tenant(), agent.id(), run.id(), max)) {
            return;
        }
        runs.discard(run.tenant(), run.id());
        throw new dev.devloop.agent.ports.in.AgentUnavailableException(
                "overloaded",
                "agent '" + agent.id() + "' is overloaded (" + max
                        + " concurrent run(s), its limit, in flight); give the work to another agent");
    }

    private void setStatus(Agent agent, AgentStatus status) {
        store.run("agent-status", () -> agents.updateStatus(agent.tenant(), agent.id(), status));
        lifecycle.statusChanged(agent.withStatus(status));
    }
}
