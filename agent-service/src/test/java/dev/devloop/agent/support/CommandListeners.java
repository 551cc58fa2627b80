package dev.devloop.agent.support;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/** MongoDB clients that watch their own commands: for the tests and benches that count or time a path's trips. */
public final class CommandListeners {
    private CommandListeners() {}

    /** A client of {@code url} that hands every command it sends, and every reply, to the listener. */
    public static MongoClient client(String url, CommandListener listener) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(url))
                .addCommandListener(listener)
                .build());
    }

    /**
     * A proxy, not a class: quarkus-mongodb would make any {@link CommandListener} class in the test sources a bean of
     * the service's own client.
     */
    public static CommandListener of(
            String name, Consumer<CommandStartedEvent> started, Consumer<CommandSucceededEvent> succeeded) {
        return (CommandListener) Proxy.newProxyInstance(
                CommandListener.class.getClassLoader(),
                new Class<?>[] {CommandListener.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "commandStarted" -> {
                        started.accept((CommandStartedEvent) args[0]);
                        yield null;
                    }
                    case "commandSucceeded" -> {
                        succeeded.accept((CommandSucceededEvent) args[0]);
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> name;
                    default -> null;
                });
    }
}
