package dev.devloop.deploy.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in answers filters that pin _id plus other fields exactly as the plain H2 backend does. */
class IdFirstH2BackendTest {

  @TempDir Path dir;

  @Test
  void fencedWritesMatchOnlyTheirOwner() {
    withServer(
        new IdFirstH2Backend(dir.resolve("fenced.mv.db").toString()),
        runs -> {
          runs.insertMany(List.of(run("r1", "t1", "replica-a"), run("r2", "t1", "replica-b")));
          FindOneAndUpdateOptions after = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);

          Document stale =
              runs.findOneAndUpdate(
                  Filters.and(Filters.eq("_id", "r1"), Filters.eq("owner", "replica-b")),
                  Updates.push("steps", "s1"),
                  after);
          Document owned =
              runs.findOneAndUpdate(
                  Filters.and(Filters.eq("_id", "r1"), Filters.eq("owner", "replica-a")),
                  Updates.push("steps", "s1"),
                  after);

          assertNull(stale, "a write fenced on another owner matches nothing");
          assertEquals(List.of("s1"), owned.getList("steps", String.class));
          assertEquals(
              List.of(), runs.find(Filters.eq("_id", "r2")).first().getList("steps", String.class));
        });
  }

  @Test
  void idWithOtherClausesFindsTheSameDocumentsAsAScan() {
    withServer(
        new IdFirstH2Backend(dir.resolve("clauses.mv.db").toString()),
        runs -> {
          runs.insertMany(
              List.of(run("r1", "t1", "a"), run("r2", "t2", "a"), run("r3", "t1", "b")));

          assertEquals(List.of("r1"), ids(runs, new Document("_id", "r1").append("tenant", "t1")));
          assertEquals(List.of(), ids(runs, new Document("_id", "r1").append("tenant", "t2")));
          assertEquals(
              List.of("r3"),
              ids(runs, Filters.and(Filters.in("_id", "r1", "r3"), Filters.eq("owner", "b"))));
          assertEquals(
              List.of("r1", "r3"),
              ids(runs, Filters.and(Filters.in("_id", "r1", "r2", "r3"), Filters.eq("tenant", "t1"))));
          assertEquals(
              List.of("r2"),
              ids(runs, Filters.and(Filters.ne("_id", "r1"), Filters.eq("tenant", "t2"))));
          assertEquals(
              List.of(),
              ids(runs, Filters.and(Filters.eq("_id", "r1"), Filters.exists("steps.0"))));
          // the services' fenced filter: and(and(_id, tenant), owner, steps.N absent), an $and inside an $and
          Bson byId = Filters.and(Filters.eq("_id", "r1"), Filters.eq("tenant", "t1"));
          assertEquals(
              List.of("r1"),
              ids(runs, Filters.and(byId, Filters.eq("owner", "a"), Filters.exists("steps.0", false))));
          assertEquals(List.of(), ids(runs, Filters.and(byId, Filters.eq("owner", "b"))));
          assertEquals(
              List.of("r3"),
              ids(
                  runs,
                  Filters.and(
                      Filters.and(Filters.in("_id", "r1", "r3"), Filters.eq("tenant", "t1")),
                      Filters.eq("owner", "b"))));
        });
  }

  @Test
  void theServicesNestedAndTakesTheIdIndex() {
    var byId =
        new de.bwaldvogel.mongo.bson.Document(
            "$and",
            List.of(
                new de.bwaldvogel.mongo.bson.Document("_id", "r1"),
                new de.bwaldvogel.mongo.bson.Document("tenant", "t1")));
    var fenced =
        new de.bwaldvogel.mongo.bson.Document(
            "$and",
            List.of(
                byId,
                new de.bwaldvogel.mongo.bson.Document("owner", "a"),
                new de.bwaldvogel.mongo.bson.Document(
                    "steps.2", new de.bwaldvogel.mongo.bson.Document("$exists", false))));

    assertEquals(
        new de.bwaldvogel.mongo.bson.Document("_id", "r1"),
        IdFirstH2Backend.IdFirstCollection.idEquality(fenced));
    assertNull(
        IdFirstH2Backend.IdFirstCollection.idEquality(
            new de.bwaldvogel.mongo.bson.Document(
                "$and", List.of(new de.bwaldvogel.mongo.bson.Document("tenant", "t1")))));
  }

  @Test
  void opensADataFileThePlainBackendWrote() {
    String file = dir.resolve("plain.mv.db").toString();
    withServer(new H2Backend(file), runs -> runs.insertOne(run("r1", "t1", "a")));

    withServer(
        new IdFirstH2Backend(file),
        runs -> {
          assertEquals(List.of("r1"), ids(runs, new Document("_id", "r1").append("tenant", "t1")));
          assertEquals(1, runs.countDocuments());
        });
  }

  @Test
  void openingADatabaseReadsNoDocumentForItsSecondaryIndexes() {
    String file = dir.resolve("secondary.mv.db").toString();
    withServer(
        new H2Backend(file),
        runs -> {
          runs.createIndex(new Document("tenant", 1).append("at", 1));
          List<Document> batch = new ArrayList<>();
          for (int i = 0; i < 4_000; i++) {
            batch.add(run(String.format("r%05d", i), "t" + (i % 7), "a").append("at", i));
          }
          runs.insertMany(batch);
        });

    long plainReads = pageReadsToOpen(new H2Backend(file));
    long ourReads = pageReadsToOpen(new IdFirstH2Backend(file));

    // the plain backend reads the collection twice to fill an index that records nothing
    assertTrue(ourReads * 10 < plainReads, "page reads to open: ours " + ourReads + ", plain " + plainReads);
    withServer(
        new IdFirstH2Backend(file),
        runs -> {
          List<String> indexes = new ArrayList<>();
          runs.listIndexes().forEach(i -> indexes.add(i.getString("name")));
          indexes.sort(null);
          assertEquals(List.of("_id_", "tenant_1_at_1"), indexes);
          assertEquals(571, runs.countDocuments(new Document("tenant", "t3")));
          runs.insertOne(run("r99999", "t3", "a"));
          assertEquals(572, runs.countDocuments(new Document("tenant", "t3")));
        });
  }

  private static long pageReadsToOpen(H2Backend backend) {
    try {
      return backend.getMvStore().getFileStore().getReadCount(); // the constructor opens every database
    } finally {
      backend.close();
    }
  }

  private static Document run(String id, String tenant, String owner) {
    return new Document("_id", id)
        .append("tenant", tenant)
        .append("owner", owner)
        .append("steps", new ArrayList<String>());
  }

  private static List<String> ids(MongoCollection<Document> runs, Bson filter) {
    List<String> ids = new ArrayList<>();
    runs.find(filter).sort(new Document("_id", 1)).forEach(d -> ids.add(d.getString("_id")));
    return ids;
  }

  /** What a test does with the {@code devloop.runs} collection of a stand-in on {@code backend}. */
  interface Body {
    void accept(MongoCollection<Document> runs);
  }

  /** Serves {@code backend} on a free port of 127.0.0.1 for {@code body}, then closes both (IndexKeyTypeTest too). */
  static void withServer(H2Backend backend, Body body) {
    MongoServer server = new MongoServer(backend);
    try {
      server.bind("127.0.0.1", 0);
      InetSocketAddress address = server.getLocalAddress();
      try (MongoClient client =
          MongoClients.create("mongodb://127.0.0.1:" + address.getPort())) {
        body.accept(client.getDatabase("devloop").getCollection("runs"));
      }
    } finally {
      server.shutdownNow();
      if (!backend.getMvStore().isClosed()) {
        backend.close();
      }
    }
  }
}
