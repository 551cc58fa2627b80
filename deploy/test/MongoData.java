import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * Test data for deploy/test/backup-restore.sh, through the MongoDB Java driver (run as a single-file program
 * with the mongo launcher's jars on the class path).
 *
 * <pre>
 * MongoData &lt;uri&gt; write       devloop_agents.runs (3 runs, unique index tenant+runId), devloop_tools.invocations,
 *                             and other_db.keep (not a devloop_* database: backup and restore leave it alone)
 * MongoData &lt;uri&gt; clean       drop every devloop_* and other_* database
 * MongoData &lt;uri&gt; wipe        drop every devloop_* database, then write devloop_extra.after (made after the backup)
 * MongoData &lt;uri&gt; describe    one line per devloop_* and other_* collection: name, count, index names, sample
 * MongoData &lt;uri&gt; duplicate   insert a duplicate of run r1: exit 0 when the unique index refuses it
 * </pre>
 */
public final class MongoData {
  // canonical Extended JSON: types (Int64, Double, Date) are compared too, not only values
  private static final org.bson.json.JsonWriterSettings EXTENDED =
      org.bson.json.JsonWriterSettings.builder().outputMode(org.bson.json.JsonMode.EXTENDED).build();

  public static void main(String[] args) {
    String uri = args[0];
    try (MongoClient client = MongoClients.create(uri)) {
      switch (args[1]) {
        case "write" -> {
          MongoDatabase agents = client.getDatabase("devloop_agents");
          agents.getCollection("runs").createIndex(Indexes.ascending("tenant", "runId"),
              new IndexOptions().unique(true).name("tenant_runId"));
          List<Document> runs = new ArrayList<>();
          for (int i = 1; i <= 3; i++) {
            runs.add(new Document("_id", "acme/r" + i).append("tenant", "acme").append("runId", "r" + i)
                .append("status", "COMPLETED").append("tokens", 1000L * i)
                .append("createdAt", new Date(1_700_000_000_000L + i))
                .append("steps", List.of(new Document("kind", "model_call").append("cost", 0.25 * i))));
          }
          agents.getCollection("runs").insertMany(runs);
          client.getDatabase("devloop_tools").getCollection("invocations")
              .insertOne(new Document("tenant", "acme").append("tool", "read_file").append("ok", true));
          client.getDatabase("other_db").getCollection("keep").replaceOne(new Document("_id", "untouched"),
              new Document("_id", "untouched"), new com.mongodb.client.model.ReplaceOptions().upsert(true));
        }
        case "clean" -> {
          for (String db : client.listDatabaseNames()) {
            if (db.startsWith("devloop_") || db.startsWith("other_")) {
              client.getDatabase(db).drop();
            }
          }
        }
        case "wipe" -> {
          for (String db : client.listDatabaseNames()) {
            if (db.startsWith("devloop_")) {
              client.getDatabase(db).drop();
            }
          }
          client.getDatabase("devloop_extra").getCollection("after").insertOne(new Document("_id", "later"));
        }
        case "describe" -> {
          List<String> dbs = new ArrayList<>();
          client.listDatabaseNames().into(dbs);
          dbs.sort(null);
          for (String db : dbs) {
            if (!db.startsWith("devloop_") && !db.startsWith("other_")) {
              continue;
            }
            List<String> colls = new ArrayList<>();
            client.getDatabase(db).listCollectionNames().into(colls);
            colls.sort(null);
            for (String c : colls) {
              var coll = client.getDatabase(db).getCollection(c);
              List<String> idx = new ArrayList<>();
              for (Document d : coll.listIndexes()) {
                idx.add(d.getString("name") + (Boolean.TRUE.equals(d.getBoolean("unique")) ? "(unique)" : ""));
              }
              idx.sort(null);
              Document first = coll.find().sort(new Document("_id", 1)).first();
              System.out.println(db + "." + c + " count=" + coll.countDocuments() + " indexes=" + idx
                  + " first=" + (first == null ? "-" : first.toJson(EXTENDED)));
            }
          }
        }
        case "duplicate" -> {
          try {
            client.getDatabase("devloop_agents").getCollection("runs")
                .insertOne(new Document("tenant", "acme").append("runId", "r1"));
            System.out.println("duplicate accepted: the unique index is missing");
            System.exit(1);
          } catch (com.mongodb.MongoWriteException e) {
            System.out.println("duplicate refused: " + e.getError().getCategory());
          }
        }
        default -> {
          System.err.println("usage: MongoData <uri> write|clean|wipe|describe|duplicate");
          System.exit(64);
        }
      }
    }
  }
}
