package dev.devloop.tools.adapters.out.mongo;

import com.mongodb.client.MongoClient;
import dev.devloop.tools.config.ToolServiceConfig;
import java.lang.reflect.Proxy;

/** {@link ToolStore}s outside Quarkus, for the tests that stop and start their own MongoDB. */
final class ToolStores {
    private ToolStores() {}

    /** A store of {@code database} on {@code client}; the database name is the one setting ToolStore reads. */
    static ToolStore of(MongoClient client, String database) {
        ToolServiceConfig config = (ToolServiceConfig) Proxy.newProxyInstance(
                ToolServiceConfig.class.getClassLoader(),
                new Class<?>[] {ToolServiceConfig.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("database")) {
                        return database;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        return new ToolStore(client, config);
    }
}
