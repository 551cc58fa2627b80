package dev.devloop.agent.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentLimits;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.domain.Step;
import dev.devloop.agent.domain.StepKind;
import dev.devloop.agent.domain.TokenUsage;
import dev.devloop.agent.domain.safety.Guardrails;
import dev.devloop.agent.domain.safety.TripAction;
import dev.devloop.agent.domain.safety.TripwireKind;
import dev.devloop.agent.domain.safety.TripwireSettings;
import dev.devloop.agent.domain.safety.Tripwires;
import dev.devloop.agent.support.InMemoryRuns;
import dev.devloop.agent.support.RecordingSafety;
import dev.devloop.agent.support.RecordingTools;
import dev.devloop.agent.support.ScriptedModel;
import dev.devloop.agent.support.TestRuns;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The final answer is stored with the run's end in one store operation; anything else first writes it alone. */
class FinalAnswerWriteTest {
    private final ScriptedModel model = new ScriptedModel();
    private final RecordingTools tools = new RecordingTools(List.of("assistant"));
    private final AnomalyHistory history = new AnomalyHistory(50);
    private final WriteLog runs = new WriteLog();

    /** Records each store write the loop makes, in order. */
    private static final class WriteLog extends InMemoryRuns {
        final List<String> writes = new ArrayList<>();

        @Override
        public void appendStep(String tenant, String runId, Step step, TokenUsage totalUsage) {
            writes.add("append " + step.index() + " " + step.kind());
            super.appendStep(tenant, runId, step, totalUsage);
        }

        @Override
        public void finish(Run run) {
            writes.add("finish " + run.status());
            super.finish(run);
        }

        @Override
        public void appendLastStepAndFinish(Run finished, Step last) {
            writes.add("append " + last.index() + " " + last.kind() + " + finish " + finished.status());
            super.finish(finished);
        }
    }

    private AgentLoop loop(Tripwires tripwires) {
        return AgentLoop.builder(
                        model,
                        tools,
                        runs,
                        new RecordingSafety(),
                        new Guardrails(List.of()),
                        tripwires,
                        history,
                        new LoopSettings(1000, 25, 200),
                        Clock.systemUTC())
                .build();
    }

    private static AgentDefinition definition() {
        return TestRuns.definition("assistant", new AgentLimits(5, 1000, 60, 0));
    }

    private Run start() {
        return TestRuns.started(runs, "t1", definition(), "remember x");
    }

    @Test
    void theFinalAnswerIsStoredWithTheRunsEndInOneWrite() {
        model.callTool("call_1", "store_fact", "{\"entity\":\"a\"}").answer("done");
        Run done = loop(new Tripwires(new TripwireSettings(Map.of(), List.of(), 3.0, 3)))
                .execute(start(), definition());

        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.steps())
                .extracting(Step::kind)
                .containsExactly(StepKind.MODEL_CALL, StepKind.TOOL_CALL, StepKind.MODEL_CALL);
        assertThat(runs.writes)
                .containsExactly("append 0 MODEL_CALL", "append 1 TOOL_CALL", "append 2 MODEL_CALL + finish COMPLETED");
    }

    @Test
    void aTripwireOnTheFinalAnswerWritesTheAnswerFirstThenItsOwnStepThenTheEnd() {
        for (int i = 0; i < 5; i++) {
            history.add("assistant", 4 + (i % 3));
        }
        model.answer("far more tokens than usual"); // 15 tokens against a history of 4 to 6
        Run done = loop(new Tripwires(
                        new TripwireSettings(Map.of(TripwireKind.ANOMALY, TripAction.STOP), List.of(), 3.0, 3)))
                .execute(start(), definition());

        assertThat(done.status()).isEqualTo(RunStatus.TRIPPED);
        assertThat(done.steps()).extracting(Step::kind).containsExactly(StepKind.MODEL_CALL, StepKind.TRIPWIRE);
        assertThat(runs.writes).containsExactly("append 0 MODEL_CALL", "append 1 TRIPWIRE", "finish TRIPPED");
    }
}
