package dev.devloop.agent.adapters.out.mongo;

import com.mongodb.client.MongoClient;
import dev.devloop.agent.config.AgentServiceConfig;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;

/** The real MongoDB run repository outside CDI, for the loop benchmark. */
public final class BenchRuns {
    public static RunRepositoryPort mongo(MongoClient client, String database) {
        AgentServiceConfig config = (AgentServiceConfig) Proxy.newProxyInstance(
                AgentServiceConfig.class.getClassLoader(),
                new Class<?>[] {AgentServiceConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "database" -> database;
                    case "runLease" -> Duration.ofMinutes(5);
                    case "instanceId" -> Optional.of("loop-benchmark");
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return new MongoRunRepository(client, config, 0);
    }

    private BenchRuns() {}
}
