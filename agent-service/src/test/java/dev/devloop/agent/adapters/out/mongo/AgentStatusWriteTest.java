package dev.devloop.agent.adapters.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import dev.devloop.agent.config.AgentServiceConfig;
import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentLimits;
import dev.devloop.agent.domain.AgentStatus;
import dev.devloop.agent.support.TestRuns;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An agent set ACTIVE again after its run on the real MongoDB: one conditional {@code findAndModify} (a read and an
 * update before), which leaves an agent retired meanwhile retired.
 */
class AgentStatusWriteTest {
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final MongoClient client = RecordedCommands.client(commands);
    private final String database = "devloop_agent_status_" + Long.toHexString(System.nanoTime());
    private final MongoAgentRepository agents = new MongoAgentRepository(client, config(database));

    private static AgentServiceConfig config(String database) {
        return (AgentServiceConfig) Proxy.newProxyInstance(
                AgentServiceConfig.class.getClassLoader(),
                new Class<?>[] {AgentServiceConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "database" -> database;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @AfterEach
    void drop() {
        client.getDatabase(database).drop();
        client.close();
    }

    private Agent stored(AgentStatus status) {
        Agent agent = Agent.spawn(
                        "t1", TestRuns.definition("assistant", new AgentLimits(5, 1000, 60, 0)), null, Instant.now())
                .withStatus(status);
        agents.save(agent);
        return agent;
    }

    @Test
    void aBusyAgentIsActiveAgainInOneCommand() {
        Agent busy = stored(AgentStatus.BUSY);
        assertThat(agents.acquireRunSlot("t1", busy.id(), "run_1", 0)).isTrue();
        commands.clear();

        Optional<Agent> after = agents.updateStatusIfLive("t1", busy.id(), AgentStatus.ACTIVE);

        assertThat(after).get().extracting(Agent::status).isEqualTo(AgentStatus.ACTIVE);
        assertThat(after.get().id()).isEqualTo(busy.id());
        assertThat(commands).containsExactly("findAndModify");
        assertThat(agents.find("t1", busy.id())).get().extracting(Agent::status).isEqualTo(AgentStatus.ACTIVE);
        assertThat(agents.runSlots("t1", busy.id())).containsExactly("run_1"); // the slots are left alone
    }

    @Test
    void anAgentRetiredMeanwhileStaysRetired() {
        Agent retired = stored(AgentStatus.RETIRED);

        assertThat(agents.updateStatusIfLive("t1", retired.id(), AgentStatus.ACTIVE))
                .isEmpty();
        assertThat(agents.updateStatusIfLive("other", retired.id(), AgentStatus.ACTIVE))
                .isEmpty();
        assertThat(agents.find("t1", retired.id()))
                .get()
                .extracting(Agent::status)
                .isEqualTo(AgentStatus.RETIRED);
    }
}
