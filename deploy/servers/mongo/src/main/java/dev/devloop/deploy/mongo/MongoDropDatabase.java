package dev.devloop.deploy.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

/**
 * Drops one database with the MongoDB Java sync driver, so a bench that writes hundreds of thousands of records a run
 * starts from an empty database instead of growing the stand-in's store run after run. Refuses the names the services
 * use outside benches: only a database whose name starts with {@code bench_} is dropped.
 *
 * <p>Usage: {@code MongoDropDatabase <mongodb-uri> <database>}; prints the documents it held, exits 0 when the
 * database is gone (or was never there), 1 on a refused name or a failed call.
 */
public final class MongoDropDatabase {

  static final String BENCH_PREFIX = "bench_";

  private MongoDropDatabase() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: MongoDropDatabase <mongodb-uri> <database>");
      System.exit(1);
    }
    try (MongoClient client = MongoClients.create(args[0])) {
      System.out.println("dropped " + args[1] + " (" + drop(client, args[1]) + " documents)");
      System.exit(0);
    } catch (RuntimeException e) {
      System.err.println("could not drop " + args[1] + ": " + e.getMessage());
      System.exit(1);
    }
  }

  /** Drops {@code name} and returns the documents it held; refuses a name outside {@code bench_…}. */
  static long drop(MongoClient client, String name) {
    if (!droppable(name)) {
      throw new IllegalArgumentException(
          "only a database named " + BENCH_PREFIX + "… is dropped, not " + name);
    }
    MongoDatabase database = client.getDatabase(name);
    long documents = 0;
    for (String collection : database.listCollectionNames()) {
      documents += database.getCollection(collection).estimatedDocumentCount();
    }
    database.drop();
    return documents;
  }

  static boolean droppable(String database) {
    return database.startsWith(BENCH_PREFIX) && database.length() > BENCH_PREFIX.length();
  }
}
