package dev.devloop.gateway.adapters.out.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import dev.devloop.gateway.ports.out.DependencyProbe;
import jakarta.inject.Singleton;
import org.bson.Document;

/** MongoDB answers {@code ping} (bounded by the client's 2 s server selection). Only webhooks need it. */
@Singleton
public class MongoProbe implements DependencyProbe {
    private final MongoClient mongo;

    public MongoProbe(MongoClient mongo) {
        this.mongo = mongo;
    }

    @Override
    public String name() {
        return "mongodb";
    }

    @Override
    public String affects() {
        return "webhook subscriptions, delivery logs and GitHub webhooks in answer 503; webhook deliveries wait";
    }

    @Override
    public Result probe() {
        try {
            mongo.getDatabase("admin").runCommand(new Document("ping", 1));
            return Result.up("ping ok");
        } catch (MongoException | IllegalStateException e) {
            return Result.down(e);
        }
    }
}
