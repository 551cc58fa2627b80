package dev.devloop.deploy.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bench's database is dropped whole from the stand-in; the services' databases are never touched. */
class MongoDropDatabaseTest {

  @TempDir Path dir;

  @Test
  void dropsABenchDatabaseAndCountsWhatItHeld() {
    withClient(
        client -> {
          insert(client, "bench_devloop_providers", "usage", 3);
          insert(client, "bench_devloop_providers", "spend", 2);
          insert(client, "devloop_providers", "usage", 4);

          assertEquals(5, MongoDropDatabase.drop(client, "bench_devloop_providers"));

          List<String> left = client.listDatabaseNames().into(new ArrayList<>());
          assertFalse(left.contains("bench_devloop_providers"), left.toString());
          assertEquals(
              4, client.getDatabase("devloop_providers").getCollection("usage").countDocuments());
        });
  }

  @Test
  void aMissingBenchDatabaseIsNothingToDrop() {
    withClient(client -> assertEquals(0, MongoDropDatabase.drop(client, "bench_never_written")));
  }

  @Test
  void refusesEveryNameOutsideTheBenchPrefix() {
    withClient(
        client -> {
          insert(client, "devloop_providers", "usage", 1);
          for (String name : List.of("devloop_providers", "bench_", "admin", "xbench_a")) {
            assertThrows(
                IllegalArgumentException.class, () -> MongoDropDatabase.drop(client, name), name);
          }
          assertTrue(
              client.listDatabaseNames().into(new ArrayList<>()).contains("devloop_providers"));
        });
  }

  private static void insert(MongoClient client, String database, String collection, int n) {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      docs.add(new Document("_id", collection + "-" + i).append("tenant", "t1"));
    }
    client.getDatabase(database).getCollection(collection).insertMany(docs);
  }

  private void withClient(Consumer<MongoClient> body) {
    IdFirstH2Backend backend = new IdFirstH2Backend(dir.resolve("drop.mv.db").toString());
    MongoServer server = new MongoServer(backend);
    try {
      server.bind("127.0.0.1", 0);
      try (MongoClient client =
          MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
        body.accept(client);
      }
    } finally {
      server.shutdownNow();
      if (!backend.getMvStore().isClosed()) {
        backend.close();
      }
    }
  }
}
