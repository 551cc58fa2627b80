package dev.devloop.tools.adapters.out.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.out.InvocationLedgerPort;
import dev.devloop.tools.ports.out.LedgerEntry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Idempotency records in MongoDB {@code invocations}. The unique index on (tenant, runId,
 * idempotencyKey) decides a concurrent duplicate: the losing insert gets E11000 and reads the winner.
 */
@ApplicationScoped
class MongoInvocationLedger implements InvocationLedgerPort {
    private static final String PENDING = "PENDING";
    private static final String DONE = "DONE";
    private static final int CLAIM_ATTEMPTS = 3;
    private final ToolStore store;

    MongoInvocationLedger(ToolStore store) {
        this.store = store;
    }

    @Override
    public Optional<LedgerEntry> claim(
            String tenant,
            String runId,
            String key,
            String toolId,
            String invocationId,
            Instant now,
            Instant leaseUntil) {
        Document claim = new Document("_id", invocationId)
                .append("tenant", tenant)
                .append("runId", runId)
                .append("idempotencyKey", key)
                .append("toolId", toolId)
                .append("state", PENDING)
                .append("claimedAt", Date.from(now))
                .append("holder", invocationId)
                .append("leaseUntil", Date.from(leaseUntil));
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            try {
                store.collection(ToolStore.INVOCATIONS).insertOne(claim);
                return Optional.empty();
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                Optional<LedgerEntry> holder = load(tenant, runId, key);
                if (holder.isPresent()) {
                    return holder;
                }
                // the holder released its claim between our insert and our read: compete again
            }
        }
        throw new IllegalStateException("could not claim idempotency key after " + CLAIM_ATTEMPTS + " attempts");
    }

    @Override
    public Optional<LedgerEntry> load(String tenant, String runId, String key) {
        Document d = store.collection(ToolStore.INVOCATIONS)
                .find(byKey(tenant, runId, key))
                .first();
        if (d == null) {
            return Optional.empty();
        }
        Document result = DONE.equals(d.getString("state")) ? d.get("result", Document.class) : null;
        Date lease = d.getDate("leaseUntil");
        return Optional.of(new LedgerEntry(
                d.getString("_id"),
                d.getString("toolId"),
                d.getDate("claimedAt").toInstant(),
                d.getString("holder"),
                lease == null ? null : lease.toInstant(),
                result == null ? null : toResult(result)));
    }

    @Override
    public boolean renew(String tenant, String runId, String key, String holder, Instant leaseUntil) {
        return store.collection(ToolStore.INVOCATIONS)
                        .updateOne(
                                Filters.and(byKey(tenant, runId, key), Filters.eq("state", PENDING), held(holder)),
                                Updates.set("leaseUntil", Date.from(leaseUntil)))
                        .getMatchedCount()
                == 1;
    }

    /** Compare-and-set on what the caller saw: holder, lease and claim time (a missing field matches null). */
    @Override
    public boolean takeOver(
            String tenant,
            String runId,
            String key,
            LedgerEntry seen,
            String invocationId,
            Instant now,
            Instant leaseUntil) {
        Bson unchanged = Filters.and(
                byKey(tenant, runId, key),
                Filters.eq("state", PENDING),
                Filters.eq("claimedAt", Date.from(seen.claimedAt())),
                Filters.eq("holder", seen.holder()),
                Filters.eq("leaseUntil", seen.leaseUntil() == null ? null : Date.from(seen.leaseUntil())));
        return store.collection(ToolStore.INVOCATIONS)
                        .updateOne(
                                unchanged,
                                Updates.combine(
                                        Updates.set("claimedAt", Date.from(now)),
                                        Updates.set("holder", invocationId),
                                        Updates.set("leaseUntil", Date.from(leaseUntil)),
                                        Updates.set("takenOverBy", invocationId)))
                        .getModifiedCount()
                == 1;
    }

    @Override
    public void complete(String tenant, String runId, String key, InvocationResult result) {
        store.collection(ToolStore.INVOCATIONS)
                .updateOne(
                        Filters.and(byKey(tenant, runId, key), Filters.eq("state", PENDING)),
                        Updates.combine(
                                Updates.set("state", DONE),
                                Updates.set("result", toDocument(result)),
                                Updates.unset("leaseUntil")));
    }

    @Override
    public void release(String tenant, String runId, String key, String holder) {
        store.collection(ToolStore.INVOCATIONS)
                .deleteOne(Filters.and(byKey(tenant, runId, key), Filters.eq("state", PENDING), held(holder)));
    }

    private static Bson held(String holder) {
        return Filters.eq("holder", holder);
    }

    private static Bson byKey(String tenant, String runId, String key) {
        return Filters.and(Filters.eq("tenant", tenant), Filters.eq("runId", runId), Filters.eq("idempotencyKey", key));
    }

    private static Document toDocument(InvocationResult r) {
        return new Document("invocationId", r.invocationId())
                .append("toolId", r.toolId())
                .append("status", r.status())
                .append("output", Json.text(r.output()))
                .append("error", r.error())
                .append("durationMs", r.durationMs());
    }

    private static InvocationResult toResult(Document d) {
        return new InvocationResult(
                d.getString("invocationId"),
                d.getString("toolId"),
                d.getString("status"),
                Json.node(d.getString("output")),
                d.getString("error"),
                d.get("durationMs", Number.class).longValue(),
                false);
    }
}
