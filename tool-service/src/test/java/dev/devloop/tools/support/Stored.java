package dev.devloop.tools.support;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/** What tool-service stored in its MongoDB database, read directly by the {@code @QuarkusTest} classes. */
public final class Stored {
    private static final String DATABASE = "devloop_tools";

    private Stored() {}

    /** The audit records matching {@code filter}. */
    public static List<Document> audit(MongoClient mongo, Bson filter) {
        return mongo.getDatabase(DATABASE).getCollection("audit").find(filter).into(new ArrayList<>());
    }

    /** The tenant's audit records. */
    public static List<Document> audit(MongoClient mongo, String tenant) {
        return audit(mongo, Filters.eq("tenant", tenant));
    }

    /** The tenant's first activity record, or null. */
    public static Document activity(MongoClient mongo, String tenant) {
        return mongo.getDatabase(DATABASE)
                .getCollection("activity")
                .find(Filters.eq("tenant", tenant))
                .first();
    }
}
