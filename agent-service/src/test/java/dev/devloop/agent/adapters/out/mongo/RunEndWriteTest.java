package dev.devloop.agent.adapters.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import dev.devloop.agent.application.AgentLoop;
import dev.devloop.agent.application.AnomalyHistory;
import dev.devloop.agent.application.LoopSettings;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentLimits;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.domain.Step;
import dev.devloop.agent.domain.StepKind;
import dev.devloop.agent.domain.safety.Guardrails;
import dev.devloop.agent.domain.safety.TripwireSettings;
import dev.devloop.agent.domain.safety.Tripwires;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import dev.devloop.agent.support.RecordingSafety;
import dev.devloop.agent.support.RecordingTools;
import dev.devloop.agent.support.ScriptedModel;
import dev.devloop.agent.support.TestRuns;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The final answer's step and the run's end as one MongoDB update (the real store): one command, repeatable, and a
 * run whose runner died before it resumes by asking the model again, recording the answer once.
 */
class RunEndWriteTest {
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final MongoClient client = RecordedCommands.client(commands);
    private final String database = "devloop_run_end_" + Long.toHexString(System.nanoTime());
    private final RunRepositoryPort runs = BenchRuns.mongo(client, database);
    private final ScriptedModel model = new ScriptedModel();
    private final AgentDefinition definition = TestRuns.definition("assistant", new AgentLimits(5, 1000, 60, 0));

    @AfterEach
    void drop() {
        client.getDatabase(database).drop();
        client.close();
    }

    private AgentLoop loop(RunRepositoryPort store) {
        return AgentLoop.builder(
                        model,
                        new RecordingTools(List.of("assistant")),
                        store,
                        new RecordingSafety(),
                        new Guardrails(List.of()),
                        new Tripwires(new TripwireSettings(Map.of(), List.of(), 3.0, 3)),
                        new AnomalyHistory(50),
                        new LoopSettings(1000, 25, 200),
                        Clock.systemUTC())
                .build();
    }

    private Run start() {
        return TestRuns.started(runs, "t1", definition, "remember x");
    }

    @Test
    void theAnswerAndTheEndAreOneUpdateAndARepeatStoresTheAnswerOnce() {
        model.callTool("call_1", "store_fact", "{\"entity\":\"a\"}").answer("done");
        Run run = start();
        Run done = loop(runs).execute(run, definition);
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);

        // a retry after a lost acknowledgement: the step is there already, the end is written again unchanged
        commands.clear();
        runs.appendLastStepAndFinish(done, done.steps().get(2));
        assertThat(commands).containsExactly("findAndModify", "update");

        Run stored = runs.find("t1", run.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(stored.result()).isEqualTo("done");
        assertThat(stored.steps())
                .extracting(Step::kind)
                .containsExactly(StepKind.MODEL_CALL, StepKind.TOOL_CALL, StepKind.MODEL_CALL);
        assertThat(stored.usage().totalTokens()).isEqualTo(done.usage().totalTokens());
        assertThat(runs.claimAbandoned(10)).isEmpty(); // ended: no lease left for a recovery to claim

        // the first time, the answer and the end were one command
        commands.clear();
        model.answer("again");
        Run second = start();
        commands.clear();
        loop(runs).execute(second, definition);
        assertThat(commands).containsExactly("findAndModify"); // a fresh run: no cancel read before its model call
    }

    @Test
    void aRunnerDyingBeforeTheEndsWriteLeavesTheRunToResumeByAskingTheModelAgain() {
        model.callTool("call_1", "store_fact", "{\"entity\":\"a\"}")
                .answer("lost")
                .answer("done");
        Run run = start();
        RunRepositoryPort dying = new DyingAtTheEnd(runs);
        try {
            loop(dying).execute(run, definition);
        } catch (IllegalStateException died) {
            assertThat(died).hasMessage("runner died");
        }
        Run left = runs.find("t1", run.id()).orElseThrow();
        assertThat(left.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(left.steps()).extracting(Step::kind).containsExactly(StepKind.MODEL_CALL, StepKind.TOOL_CALL);

        Run resumed = loop(runs).execute(left, definition);

        assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(resumed.result()).isEqualTo("done");
        assertThat(runs.find("t1", run.id()).orElseThrow().steps())
                .extracting(Step::kind)
                .containsExactly(StepKind.MODEL_CALL, StepKind.TOOL_CALL, StepKind.MODEL_CALL);
        assertThat(model.requests()).hasSize(3); // the lost answer was asked for again, the tool was not re-run
    }

    /** The real store, with a runner that dies as it is about to write the run's end. */
    private record DyingAtTheEnd(RunRepositoryPort store) implements RunRepositoryPort {
        @Override
        public void appendLastStepAndFinish(Run finished, Step last) {
            throw new IllegalStateException("runner died");
        }

        @Override
        public void create(Run run) {
            store.create(run);
        }

        @Override
        public boolean createIfAbsent(Run run) {
            return store.createIfAbsent(run);
        }

        @Override
        public void appendStep(String tenant, String runId, Step step, dev.devloop.agent.domain.TokenUsage usage) {
            store.appendStep(tenant, runId, step, usage);
        }

        @Override
        public java.util.Optional<String> appendStepReadingCancel(
                String tenant, String runId, Step step, dev.devloop.agent.domain.TokenUsage usage) {
            return store.appendStepReadingCancel(tenant, runId, step, usage);
        }

        @Override
        public java.util.Optional<String> cancelRequested(String tenant, String runId) {
            return store.cancelRequested(tenant, runId);
        }

        @Override
        public void finish(Run run) {
            store.finish(run);
        }

        @Override
        public java.util.Optional<Run> find(String tenant, String runId) {
            return store.find(tenant, runId);
        }

        @Override
        public java.util.Optional<Run> requestCancel(String tenant, String runId, String reason) {
            return store.requestCancel(tenant, runId, reason);
        }

        @Override
        public List<Run> claimAbandoned(int max) {
            return store.claimAbandoned(max);
        }
    }
}
