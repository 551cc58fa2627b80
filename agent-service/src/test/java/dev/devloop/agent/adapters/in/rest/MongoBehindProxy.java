package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.support.TcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Puts a {@link TcpProxy} between this test instance of agent-service and the real MongoDB — the first host of
 * {@code DEVLOOP_MONGO_URL} (default 127.0.0.1:27017), the server every other test of the run uses — (a direct
 * connection, so the driver never bypasses the proxy), so a test can cut and restore the store without stopping
 * the shared server.
 */
public class MongoBehindProxy implements QuarkusTestResourceLifecycleManager {
    static volatile TcpProxy proxy;

    @Override
    public Map<String, String> start() {
        try {
            String host = new com.mongodb.ConnectionString(
                            System.getenv().getOrDefault("DEVLOOP_MONGO_URL", "mongodb://127.0.0.1:27017"))
                    .getHosts()
                    .get(0);
            int colon = host.lastIndexOf(':');
            proxy = colon < 0
                    ? new TcpProxy(host, 27017)
                    : new TcpProxy(host.substring(0, colon), Integer.parseInt(host.substring(colon + 1)));
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
