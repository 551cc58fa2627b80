import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * The stand-in's write mix, as the services send it: agent-service's runs (an insert, three fenced step pushes, a read
 * by _id) and provider-gateway's usage ledger (batches of 50 inserts). Ids are time-ordered, as the services' are.
 * {@code StoreCost <uri> <runs>}: prints "ops <n> seconds <s>" (a run's 5 requests and a batch count as ops).
 */
public class StoreCost {
    public static void main(String[] args) {
        int runs = Integer.parseInt(args[1]);
        try (MongoClient client = MongoClients.create(args[0])) {
            MongoCollection<Document> runColl = client.getDatabase("bench_agents").getCollection("runs");
            MongoCollection<Document> usage = client.getDatabase("bench_providers").getCollection("usage");
            long ops = 0;
            long start = System.nanoTime();
            for (int r = 0; r < runs; r++) {
                String id = String.format("%016x-run", System.currentTimeMillis() * 1_000_000L + r);
                runColl.insertOne(new Document("_id", id).append("tenant", "acme").append("owner", "node-1")
                        .append("agentId", "agent-" + (r % 20)).append("status", "RUNNING").append("createdAt", new Date())
                        .append("version", 0L).append("input", "Summarise the roadmap and open a pull request")
                        .append("steps", new ArrayList<>()));
                for (int s = 0; s < 3; s++) {
                    runColl.updateOne(
                            Filters.and(Filters.and(Filters.eq("_id", id), Filters.eq("tenant", "acme")),
                                    Filters.eq("owner", "node-1"), Filters.exists("steps." + s, false)),
                            Updates.combine(Updates.push("steps", new Document("n", s).append("kind", "tool_call")
                                            .append("tool", "git.commit")
                                            .append("args", new Document("message", "step " + s).append("files", List.of("a.txt")))
                                            .append("output", "ok").append("tokens", 123L).append("at", new Date())),
                                    Updates.inc("version", 1L)));
                }
                runColl.find(Filters.eq("_id", id)).first();
                ops += 5;
                if (r % 10 == 0) {
                    List<Document> batch = new ArrayList<>();
                    for (int u = 0; u < 50; u++) {
                        batch.add(new Document("_id", String.format("%016x-use-%02d", System.currentTimeMillis() * 1_000_000L + r, u))
                                .append("tenant", "acme").append("model", "gpt-4o-mini").append("promptTokens", 12)
                                .append("completionTokens", 1).append("costMicros", 3L).append("at", new Date()));
                    }
                    usage.insertMany(batch);
                    ops++;
                }
            }
            System.out.printf("ops %d seconds %.3f%n", ops, (System.nanoTime() - start) / 1e9);
        }
    }
}
