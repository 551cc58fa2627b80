package dev.devloop.knowledge.adapters.out.mongo;

import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import io.quarkus.logging.Log;
import java.util.function.Supplier;

/** Runs a MongoDB call and turns "store unreachable or failing" into {@link TierUnavailableException}. */
final class MongoCalls {
    static final String STORE = "mongodb";

    static <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (MongoWriteException e) {
            throw e;
        } catch (MongoException e) {
            Log.debugf(e, "mongodb call failed");
            throw new TierUnavailableException(STORE, e);
        }
    }

    private MongoCalls() {}
}
