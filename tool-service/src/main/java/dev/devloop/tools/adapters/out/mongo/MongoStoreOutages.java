package dev.devloop.tools.adapters.out.mongo;

import dev.devloop.migrations.MongoOutages;
import dev.devloop.tools.ports.out.DependencyOutages;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** The MongoDB adapters let the driver's exceptions through: an unreachable server among them is an outage. */
@ApplicationScoped
class MongoStoreOutages implements DependencyOutages {
    static final String MONGODB = "MongoDB";

    @Override
    public Optional<String> unreachable(Throwable failure) {
        return MongoOutages.isTransient(failure) ? Optional.of(MONGODB) : Optional.empty();
    }
}
