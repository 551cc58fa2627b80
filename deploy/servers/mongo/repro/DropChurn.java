import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.InsertManyOptions;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.Document;

/**
 * The churn that broke the stand-in's H2 store (docs/verification.md, stop 35): rounds of 4 000 inserts into a scratch
 * collection beside 4 000 into {@code usage}, then the scratch collection dropped ({@code MODE=delete}: its documents
 * deleted instead). {@code DropChurn <uri> <rounds> run|check}.
 */
public class DropChurn {
    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[1]);
        try (MongoClient client = MongoClients.create(args[0])) {
            MongoDatabase db = client.getDatabase("repro_providers");
            MongoCollection<Document> usage = db.getCollection("usage");
            if ("check".equals(args[2])) {
                // the count command (the data map's size), then every document read back by _id: countDocuments()
                // is an aggregation that mongo-java-server answers by loading every document first, and ~640 000 of
                // them exhaust -Xmx384m (an OutOfMemoryError while H2 deserializes a page, logged as "Unable to read
                // the page ... Could not deserialize"), which is not the store's fault
                long count = usage.estimatedDocumentCount();
                System.out.println("usage documents: " + count + ", readable: " + readable(usage, count));
                return;
            }
            // the long read: every usage document walked while the background writer compacts what the last
            // cycle's drops left
            long id = usage.countDocuments();
            // READERS=n: n threads repeat that long read of usage while the rounds insert and drop
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<String> readerFailure = new AtomicReference<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < Integer.parseInt(System.getenv().getOrDefault("READERS", "0")); t++) {
                Thread reader = new Thread(() -> {
                    try {
                        while (!done.get()) {
                            usage.countDocuments();
                        }
                    } catch (RuntimeException e) {
                        readerFailure.compareAndSet(null, e.toString());
                    }
                });
                reader.start();
                readers.add(reader);
            }
            for (int r = 0; r < rounds; r++) {
                MongoCollection<Document> scratch = db.getCollection("warmup_usage");
                for (int b = 0; b < 8; b++) {
                    List<Document> docs = new ArrayList<>();
                    List<Document> real = new ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        docs.add(new Document("_id", UUID.randomUUID().toString())
                                .append("tenant", "devloop-warmup").append("inputTokens", i).append("at", new Date()));
                        real.add(new Document("_id", "u" + (id++))
                                .append("tenant", "bench").append("inputTokens", i).append("at", new Date()));
                    }
                    scratch.insertMany(docs, new InsertManyOptions().ordered(false));
                    usage.insertMany(real, new InsertManyOptions().ordered(false));
                }
                if ("delete".equals(System.getenv("MODE"))) {
                    scratch.deleteMany(new Document());
                } else {
                    scratch.drop();
                }
            }
            done.set(true);
            for (Thread reader : readers) {
                try {
                    reader.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (readerFailure.get() != null) {
                System.out.println("a reader failed: " + readerFailure.get());
            }
            System.out.println("done, usage documents written: " + id);
        }
    }

    /** Reads every {@code usage} document back through the {@code _id} index, 1 000 per query. */
    static long readable(MongoCollection<Document> usage, long count) {
        long found = 0;
        for (long from = 0; from < count; from += 1000) {
            List<String> ids = new ArrayList<>();
            for (long i = from; i < Math.min(count, from + 1000); i++) {
                ids.add("u" + i);
            }
            for (Document d : usage.find(new Document("_id", new Document("$in", ids)))) {
                if (d.getInteger("inputTokens") != null) {
                    found++;
                }
            }
        }
        return found;
    }
}
