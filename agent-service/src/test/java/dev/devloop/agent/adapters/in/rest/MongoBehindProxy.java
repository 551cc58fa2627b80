package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.support.TcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Puts a {@link TcpProxy} between this test instance of agent-service and the real MongoDB on 127.0.0.1:27017
 * (a direct connection, so the driver never bypasses the proxy), so a test can cut and restore the store
 * without stopping the shared server.
 */
public class MongoBehindProxy implements QuarkusTestResourceLifecycleManager {
    static volatile TcpProxy proxy;

    @Override
    public Map<String, String> start() {
        try {
            proxy = new TcpProxy("127.0.0.1", 27017);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start the MongoDB proxy", e);
        }
        return Map.of(
                "quarkus.mongodb.connection-string",
                "mongodb://127.0.0.1:" + proxy.port() + "/?directConnection=true",
                "quarkus.mongodb.server-selection-timeout",
                "1s",
                "quarkus.mongodb.connect-timeout",
                "1s",
                "quarkus.mongodb.read-timeout",
                "5s");
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }
}
