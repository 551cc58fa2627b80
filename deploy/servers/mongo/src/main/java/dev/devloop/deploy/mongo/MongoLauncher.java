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
 * <p>Usage: {@code MongoLauncher <host> <port> <h2-data-file>}. A shutdown hook (SIGTERM) stops
 * listening, closes clients and closes the H2 store, which survives restarts.
 *
 * <p>The oplog is off unless {@code -Ddevloop.mongo.oplog=true} (e.g. in {@code DEVLOOP_MONGO_JAVA_OPTS}):
 * no Devloop service or tool opens a change stream, and mongo-java-server's oplog is an uncapped
 * collection that every write appends to (a second document insert, with its index update, per
 * insert/update/delete, and a data file that only grows; docs/scaling.md stop 34). With it off a
 * change stream opens and stays empty.
 */
public final class MongoLauncher {

  /** {@code true} turns mongo-java-server's oplog (change streams) on. */
  static final String OPLOG_PROPERTY = "devloop.mongo.oplog";

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
    boolean oplog = Boolean.getBoolean(OPLOG_PROPERTY);
    if (oplog) {
      server.enableOplog();
    }
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
        "devloop-mongo: mongo-java-server (H2 "
            + file
            + ", oplog "
            + (oplog ? "on" : "off")
            + ") listening on "
            + host
            + ":"
            + port);
    stopped.await();
  }
}
