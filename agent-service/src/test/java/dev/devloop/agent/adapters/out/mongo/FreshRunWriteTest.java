package dev.devloop.agent.adapters.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import dev.devloop.agent.application.AgentHierarchyService;
import dev.devloop.agent.application.AgentLoop;
import dev.devloop.agent.application.AnomalyHistory;
import dev.devloop.agent.application.LoopSettings;
import dev.devloop.agent.application.RunAgentService;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentLimits;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.domain.safety.Guardrails;
import dev.devloop.agent.domain.safety.TripwireSettings;
import dev.devloop.agent.domain.safety.Tripwires;
import dev.devloop.agent.ports.in.StartRunCommand;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import dev.devloop.agent.support.InMemoryAgents;
import dev.devloop.agent.support.Recorders;
import dev.devloop.agent.support.RecordingSafety;
import dev.devloop.agent.support.RecordingTools;
import dev.devloop.agent.support.ScriptedModel;
import dev.devloop.agent.support.TestRuns;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A fresh run through the run use case on the real store: the definition version it starts with goes in with its
 * insert, and its first step boundary takes the cancel state from that insert, so a 3-step run (model → tool → model)
 * costs the runs collection 4 commands (6 at stop 26).
 */
class FreshRunWriteTest {
    private final List<String> runCommands = new CopyOnWriteArrayList<>();
    private final MongoClient client = RecordedCommands.client(runCommands, "runs");
    private final String database = "devloop_fresh_run_" + Long.toHexString(System.nanoTime());
    private final RunRepositoryPort runs = BenchRuns.mongo(client, database);
    private final ScriptedModel model = new ScriptedModel();
    private final AgentDefinition definition = TestRuns.definition("assistant", new AgentLimits(5, 1000, 60, 0));
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void drop() {
        pool.shutdownNow();
        client.getDatabase(database).drop();
        client.close();
    }

    private RunAgentService service() {
        InMemoryAgents agents = new InMemoryAgents().define(definition);
        Recorders.Lifecycle lifecycle = new Recorders.Lifecycle();
        Clock clock = Clock.systemUTC();
        AgentLoop loop = AgentLoop.builder(
                        model,
                        new RecordingTools(List.of("assistant")),
                        runs,
                        new RecordingSafety(),
                        new Guardrails(List.of()),
                        new Tripwires(new TripwireSettings(Map.of(), List.of(), 3.0, 3)),
                        new AnomalyHistory(50),
                        new LoopSettings(1000, 25, 200),
                        clock)
                .build();
        return TestRuns.service(
                agents,
                runs,
                lifecycle,
                new AgentHierarchyService(agents, agents, lifecycle, clock),
                loop,
                pool,
                clock);
    }

    @Test
    void aFreshRunRecordsItsDefinitionVersionInItsInsert() {
        model.callTool("call_1", "store_fact", "{\"entity\":\"a\"}").answer("done");
        Run done = service().runToCompletion(new StartRunCommand("t1", "assistant", "remember x", "trace"));

        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        Run stored = runs.find("t1", done.id()).orElseThrow();
        assertThat(stored.definitionVersion()).isEqualTo(definition.version());
        // insert (with the version), two step appends, the last step with the end; then our read. No cancel read
        // before the first model call: the run was inserted just now (AgentLoop.FRESH_RUN)
        assertThat(runCommands).containsExactly("insert", "findAndModify", "findAndModify", "findAndModify", "find");
    }
}
