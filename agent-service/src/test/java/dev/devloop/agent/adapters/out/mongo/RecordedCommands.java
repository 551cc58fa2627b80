package dev.devloop.agent.adapters.out.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import java.lang.reflect.Proxy;
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
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(
                        System.getenv().getOrDefault("DEVLOOP_MONGO_URL", "mongodb://127.0.0.1:27017")))
                .addCommandListener(listener(into, collection))
                .build());
    }

    /**
     * A proxy, not a class: quarkus-mongodb would make any {@link CommandListener} class in the test sources a bean of
     * the service's own client.
     */
    private static CommandListener listener(List<String> into, String collection) {
        return (CommandListener) Proxy.newProxyInstance(
                CommandListener.class.getClassLoader(),
                new Class<?>[] {CommandListener.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "commandStarted" -> {
                        CommandStartedEvent started = (CommandStartedEvent) args[0];
                        String name = started.getCommandName();
                        if (collection == null
                                || (started.getCommand().isString(name)
                                        && started.getCommand()
                                                .getString(name)
                                                .getValue()
                                                .equals(collection))) {
                            into.add(name);
                        }
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "recorded commands";
                    default -> null;
                });
    }
}
