package dev.devloop.agent.adapters.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import dev.devloop.agent.application.AgentLoop;
import dev.devloop.agent.application.AnomalyHistory;
import dev.devloop.agent.application.LoopSettings;
import dev.devloop.agent.domain.Agent;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A run this replica has just inserted takes its first step boundary's cancel state from its insert (no store read) on
 * the real MongoDB: a cancel stored between the insert and the first model call is seen through the first model step's
 * append, so that call is made and recorded and no tool call starts; a run older than the fresh window reads first.
 */
class FreshRunCancelTest {
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final MongoClient client = RecordedCommands.client(commands);
    private final String database = "devloop_fresh_cancel_" + Long.toHexString(System.nanoTime());
    private final RunRepositoryPort runs = BenchRuns.mongo(client, database);
    private final ScriptedModel model = new ScriptedModel();
    private final RecordingTools tools = new RecordingTools(List.of("assistant"));
    private final AgentDefinition definition = TestRuns.definition("assistant", new AgentLimits(5, 1000, 60, 0));

    @AfterEach
    void drop() {
        client.getDatabase(database).drop();
        client.close();
    }

    private AgentLoop loop() {
        return AgentLoop.builder(
                        model,
                        tools,
                        runs,
                        new RecordingSafety(),
                        new Guardrails(List.of()),
                        new Tripwires(new TripwireSettings(Map.of(), List.of(), 3.0, 3)),
                        new AnomalyHistory(50),
                        new LoopSettings(1000, 25, 200),
                        Clock.systemUTC())
                .build();
    }

    /** A run inserted with {@code createdAt}, then cancelled in the store; the returned copy does not know it. */
    private Run insertedThenCancelled(Instant createdAt) {
        Agent agent = Agent.spawn("t1", definition, null, createdAt);
        Run run = Run.start("t1", agent, "remember x", "trace", createdAt);
        runs.create(run);
        assertThat(runs.requestCancel("t1", run.id(), "operator said stop")).isPresent();
        commands.clear();
        return run;
    }

    @Test
    void aCancelStoredBetweenTheInsertAndTheFirstModelCallEndsTheRunAfterThatCallBeforeAnyTool() {
        model.callTool("call_1", "store_fact", "{\"entity\":\"a\"}").answer("never asked");
        Run run = insertedThenCancelled(Instant.now());

        Run done = loop().execute(run, definition);

        assertThat(done.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(done.error()).isEqualTo("cancelled: operator said stop");
        assertThat(model.requests()).hasSize(1);
        assertThat(tools.executed()).isEmpty();
        Run stored = runs.find("t1", run.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(stored.steps()).extracting(Step::kind).containsExactly(StepKind.MODEL_CALL);
        // no cancel read: the model step's append returned the request, then the end
        assertThat(commands).containsExactly("findAndModify", "update", "find");
    }

    @Test
    void aOneStepRunCancelledBetweenItsInsertAndItsOnlyModelCallCompletesLikeACancelDuringThatCall() {
        model.answer("done");
        Run run = insertedThenCancelled(Instant.now());

        Run done = loop().execute(run, definition);

        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.result()).isEqualTo("done");
        Run stored = runs.find("t1", run.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(stored.cancelReason()).isEqualTo("operator said stop");
        assertThat(commands).containsExactly("findAndModify", "find"); // the answer and the end
    }

    /** Regression guard (passes on the old code too): past the fresh window the first boundary still reads. */
    @Test
    void aRunOlderThanTheFreshWindowReadsTheCancelBeforeItsFirstModelCall() {
        model.callTool("call_1", "store_fact", "{\"entity\":\"a\"}").answer("never asked");
        Run run = insertedThenCancelled(Instant.now().minusSeconds(2));

        Run done = loop().execute(run, definition);

        assertThat(done.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(model.requests()).isEmpty();
        assertThat(tools.executed()).isEmpty();
        assertThat(runs.find("t1", run.id()).orElseThrow().steps()).isEmpty();
        assertThat(commands).containsExactly("find", "update", "find");
    }
}
