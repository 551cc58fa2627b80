package dev.devloop.tools.adapters.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.devloop.tools.domain.ToolDefinition;
import dev.devloop.tools.domain.ToolLimits;
import dev.devloop.tools.ports.out.DependencyUnavailableException;
import dev.devloop.tools.support.Fixtures;
import dev.devloop.tools.support.PrivateMongo;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped set's upsert against a MongoDB that is away (a private server, stopped): the port's outage, which the
 * start retries, not the driver's timeout, which used to fail the start; once the server is back the same call stores
 * every tool.
 */
class MongoToolRegistryOutageTest {
    @Test
    void theShippedUpsertReportsAnOutageThenStoresEverythingOnceMongoDbIsBack() {
        try (PrivateMongo mongo = new PrivateMongo().start();
                MongoClient client = MongoClients.create(MongoClientSettings.builder()
                        .applyConnectionString(new com.mongodb.ConnectionString(mongo.url()))
                        .applyToClusterSettings(b -> b.serverSelectionTimeout(1, TimeUnit.SECONDS))
                        .applyToSocketSettings(b -> b.connectTimeout(1, TimeUnit.SECONDS))
                        .build())) {
            String database =
                    "devloop_test_tools_seed_" + UUID.randomUUID().toString().substring(0, 8);
            MongoToolRegistry registry = new MongoToolRegistry(ToolStores.of(client, database));
            List<ToolDefinition> shipped = List.of(
                    Fixtures.tool("seed_a", new ToolLimits(1000, 4096, 0), "diagnostic"),
                    Fixtures.tool("seed_b", new ToolLimits(1000, 4096, 0), "diagnostic"));

            mongo.stop();
            Throwable away = catchThrowable(() -> registry.saveAll(shipped));
            assertThat(away).isInstanceOf(DependencyUnavailableException.class);
            assertThat(((DependencyUnavailableException) away).dependency()).isEqualTo("MongoDB");

            mongo.start();
            registry.saveAll(shipped);
            assertThat(registry.find("any-tenant", "seed_a")).isPresent();
            assertThat(registry.find("any-tenant", "seed_b")).isPresent();
        }
    }
}
