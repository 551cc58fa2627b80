package dev.devloop.deploy.mongo;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs mongo-java-server with the H2 MVStore backend as a standalone local MongoDB stand-in (with {@link
 * IdFirstH2Backend}'s {@code _id} lookup for filters that pin {@code _id} among other fields).
 *
 * <p>Usage: {@code MongoLauncher <host> <port> <h2-data-file>}. The oplog is enabled so change
 * streams work; a shutdown hook (SIGTERM) stops listening, closes clients and closes the H2 store,
 * which survives restarts.
 */
public final class MongoLauncher {

  private MongoLauncher() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: MongoLauncher <host> <port> <h2-data-file>");
      System.exit(2);
    }
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    Path file = Path.of(args[2]).toAbsolutePath();
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }

    H2Backend backend = new IdFirstH2Backend(file.toString());
    MongoServer server = new MongoServer(backend);
    server.enableOplog();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("devloop-mongo: shutting down");
                  try {
                    server.shutdownNow(); // closes clients, then the backend
                  } finally {
                    if (!backend.getMvStore().isClosed()) {
                      backend.close();
                    }
                    System.out.println("devloop-mongo: stopped, store closed");
                    stopped.countDown();
                  }
                },
                "devloop-mongo-shutdown"));

    server.bind(host, port);
    System.out.println(
        "devloop-mongo: mongo-java-server (H2 " + file + ") listening on " + host + ":" + port);
    stopped.await();
  }
}
