package dev.devloop.migrations;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

/**
 * Tells a MongoDB outage (the server could not be reached: worth retrying, a 503 to callers) from a refusal (a
 * duplicate key, a bad query: final). Shared by the services' MongoDB adapters and error mappers.
 */
public final class MongoOutages {
    private MongoOutages() {}

    /** Whether {@code failure}, or one of its causes, means the store could not be reached. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MongoTimeoutException
                    || t instanceof MongoSocketException
                    || t instanceof MongoNotPrimaryException
                    || t instanceof MongoNodeIsRecoveringException
                    || t instanceof MongoConnectionPoolClearedException) {
                return true;
            }
        }
        return false;
    }
}
