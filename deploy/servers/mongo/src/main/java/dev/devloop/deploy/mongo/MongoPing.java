package dev.devloop.deploy.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * A real {@code ping} round-trip with the MongoDB Java sync driver; exits 0 when the server answers
 * {@code ok: 1}, 1 otherwise.
 *
 * <p>Usage: {@code MongoPing <mongodb-uri> [timeoutSeconds]}.
 */
public final class MongoPing {

  private MongoPing() {}

  public static void main(String[] args) {
    String uri = args.length > 0 ? args[0] : "mongodb://127.0.0.1:27017";
    int timeoutSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    MongoClientSettings settings =
        MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(uri))
            .applyToClusterSettings(
                b -> b.serverSelectionTimeout(timeoutSeconds, TimeUnit.SECONDS))
            .applyToSocketSettings(
                b -> b.connectTimeout(timeoutSeconds, TimeUnit.SECONDS)
                    .readTimeout(timeoutSeconds, TimeUnit.SECONDS))
            .build();
    try (MongoClient client = MongoClients.create(settings)) {
      Document reply = client.getDatabase("admin").runCommand(new Document("ping", 1));
      double ok = ((Number) reply.get("ok")).doubleValue();
      if (ok == 1.0) {
        System.out.println("mongo ping ok");
        System.exit(0);
      }
      System.err.println("mongo ping answered " + reply.toJson());
    } catch (RuntimeException e) {
      System.err.println("mongo ping failed: " + e.getMessage());
    }
    System.exit(1);
  }
}
