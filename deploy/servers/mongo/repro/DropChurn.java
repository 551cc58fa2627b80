import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.InsertManyOptions;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
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
                System.out.println("usage documents: " + usage.countDocuments());
                return;
            }
            long id = usage.countDocuments();
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
            System.out.println("done, usage documents written: " + id);
        }
    }
}
