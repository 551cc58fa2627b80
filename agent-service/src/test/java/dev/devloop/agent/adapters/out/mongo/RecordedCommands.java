package dev.devloop.agent.adapters.out.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.event.CommandStartedEvent;
import dev.devloop.agent.support.CommandListeners;
import java.util.List;

/** Clients of the local MongoDB that record the commands they send: for the tests that count a path's round trips. */
final class RecordedCommands {
    private RecordedCommands() {}

    /** A client that adds the name of every command it sends to {@code into}. */
    static MongoClient client(List<String> into) {
        return client(into, null);
    }

    /** A client that adds the name of every command on {@code collection} (null: on any) to {@code into}. */
    static MongoClient client(List<String> into, String collection) {
        return CommandListeners.client(
                System.getenv().getOrDefault("DEVLOOP_MONGO_URL", "mongodb://127.0.0.1:27017"),
                CommandListeners.of("recorded commands", started -> record(started, into, collection), done -> {}));
    }

    private static void record(CommandStartedEvent started, List<String> into, String collection) {
        String name = started.getCommandName();
        if (collection == null
                || (started.getCommand().isString(name)
                        && started.getCommand().getString(name).getValue().equals(collection))) {
            into.add(name);
        }
    }
}
