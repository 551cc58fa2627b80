package dev.devloop.agent.adapters.out.mongo;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import dev.devloop.agent.config.AgentServiceConfig;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.domain.Step;
import dev.devloop.agent.domain.TokenUsage;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs in MongoDB collection {@code runs}, one document per run with its steps embedded. Each step is
 * a single-document atomic {@code $push}, so progress is durable without multi-document transactions.
 */
@ApplicationScoped
class MongoRunRepository implements RunRepositoryPort {
    private static final int DUPLICATE_KEY = 11000;
    private final MongoCollection<Document> runs;
    private final Duration lease;
    private final String owner;
    private final Date bootedAt = new Date();

    MongoRunRepository(
            MongoClient client, AgentServiceConfig config, @ConfigProperty(name = "quarkus.http.port") int httpPort) {
        this.runs = client.getDatabase(config.database()).getCollection("runs");
        this.lease = config.runLease();
        this.owner = config.instanceId().orElseGet(() -> hostName() + ":" + httpPort);
        // indexes: migration V001 (MongoMigrator)
    }

    @Override
    public void create(Run run) {
        runs.insertOne(toDocument(run));
    }

    @Override
    public boolean createIfAbsent(Run run) {
        try {
            runs.insertOne(toDocument(run));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCode() == DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void discard(String tenant, String runId) {
        runs.deleteOne(Filters.and(byId(tenant, runId), Filters.size("steps", 0)));
    }

    @Override
    public List<Run> claimAbandoned(int max) {
        List<Run> claimed = new ArrayList<>();
        Date now = new Date();
        // lapsed leases, or runs this very replica owned before it restarted
        Bson abandoned = Filters.and(
                Filters.eq("status", RunStatus.RUNNING.name()),
                Filters.or(
                        Filters.lt("leaseUntil", now),
                        Filters.and(Filters.eq("owner", owner), Filters.lt("leaseRenewedAt", bootedAt))));
        for (int i = 0; i < max; i++) {
            Document before = runs.findOneAndUpdate(
                    abandoned, renewLease(), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
            if (before == null) {
                break;
            }
            // the time nobody executed the run (since its runner last renewed the lease) is not charged to its budget
            Date lastAlive = before.getDate("leaseRenewedAt") != null
                    ? before.getDate("leaseRenewedAt")
                    : before.getDate("updatedAt");
            long dead = lastAlive == null ? 0 : Math.max(0, System.currentTimeMillis() - lastAlive.getTime());
            Document taken = runs.findOneAndUpdate(
                    Filters.and(byId(before.getString("tenant"), before.getString("_id")), Filters.eq("owner", owner)),
                    // a wait the dead runner showed is over: its time is in the dead time
                    Updates.combine(
                            Updates.inc("pausedMs", dead), Updates.unset("waitingFor"), Updates.unset("waitingSince")),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
            if (taken != null) {
                claimed.add(toRun(taken));
            }
        }
        // decided (or cancelled) while awaiting approval, but the replica that took the decision died before resuming;
        // taken at once: such a run holds no lease, and the claim is a compare-and-set against a live decider's resume
        List<Document> stranded = runs.find(Filters.and(
                        resumable(),
                        Filters.or(
                                Filters.exists("leaseUntil", false),
                                Filters.eq("leaseUntil", null),
                                Filters.lt("leaseUntil", now))))
                .projection(new Document("tenant", 1))
                .limit(Math.max(0, max - claimed.size()))
                .into(new ArrayList<>());
        for (Document d : stranded) {
            claimDecided(d.getString("tenant"), d.getString("_id")).ifPresent(claimed::add);
        }
        return claimed;
    }

    /** AWAITING_APPROVAL with nothing left to decide, or with a cancel request: whoever claims it resumes it. */
    private static Bson resumable() {
        return Filters.and(
                Filters.eq("status", RunStatus.AWAITING_APPROVAL.name()),
                Filters.or(Filters.size("pendingApprovals", 0), Filters.ne("cancelReason", null)));
    }

    @Override
    public void awaitApproval(Run parked, List<String> pendingProposalIds) {
        Date now = new Date();
        runs.updateOne(
                Filters.and(byId(parked.tenant(), parked.id()), Filters.eq("status", RunStatus.RUNNING.name())),
                Updates.combine(
                        Updates.set("status", RunStatus.AWAITING_APPROVAL.name()),
                        Updates.set("pendingApprovals", pendingProposalIds),
                        Updates.set("awaitingSince", now),
                        Updates.set("usage", StepDocuments.usage(parked.usage())),
                        Updates.set("updatedAt", now),
                        Updates.unset("owner"),
                        Updates.unset("leaseUntil")));
    }

    @Override
    public void approvalDecided(String tenant, String runId, String proposalId) {
        runs.updateOne(
                byId(tenant, runId),
                Updates.combine(Updates.pull("pendingApprovals", proposalId), Updates.set("updatedAt", new Date())));
    }

    @Override
    public Optional<Run> claimDecided(String tenant, String runId) {
        Document waiting =
                runs.find(Filters.and(byId(tenant, runId), resumable())).first();
        if (waiting == null) {
            return Optional.empty();
        }
        Date since = waiting.getDate("awaitingSince");
        long waited = since == null ? 0 : Math.max(0, System.currentTimeMillis() - since.getTime());
        // the awaitingSince match makes this a compare-and-set: of two claimers, one wins
        Document taken = runs.findOneAndUpdate(
                Filters.and(byId(tenant, runId), resumable(), Filters.eq("awaitingSince", since)),
                Updates.combine(
                        Updates.set("status", RunStatus.RUNNING.name()),
                        Updates.inc("approvalWaitMs", waited),
                        Updates.unset("awaitingSince"),
                        Updates.unset("pendingApprovals"),
                        renewLease()),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return Optional.ofNullable(taken).map(MongoRunRepository::toRun);
    }

    @Override
    public java.util.Map<String, dev.devloop.agent.domain.InFlightRuns> inFlight(
            String tenant, java.util.Collection<String> agentIds) {
        java.util.Map<String, dev.devloop.agent.domain.InFlightRuns> out = new java.util.HashMap<>();
        if (agentIds.isEmpty()) {
            return out;
        }
        List<Bson> pipeline = List.of(
                com.mongodb.client.model.Aggregates.match(Filters.and(
                        Filters.eq("tenant", tenant),
                        Filters.in("agentId", agentIds),
                        Filters.eq("status", RunStatus.RUNNING.name()))),
                com.mongodb.client.model.Aggregates.group(
                        "$agentId",
                        com.mongodb.client.model.Accumulators.sum("count", 1),
                        com.mongodb.client.model.Accumulators.min("oldest", "$leaseRenewedAt"),
                        com.mongodb.client.model.Accumulators.max("latest", "$leaseRenewedAt")));
        for (Document d : runs.aggregate(pipeline)) {
            Date oldest = d.getDate("oldest");
            Date latest = d.getDate("latest");
            out.put(
                    d.getString("_id"),
                    new dev.devloop.agent.domain.InFlightRuns(
                            d.get("count", Number.class).intValue(),
                            oldest == null ? null : oldest.toInstant(),
                            latest == null ? null : latest.toInstant()));
        }
        return out;
    }

    @Override
    public void waitingFor(String tenant, String runId, String reason) {
        runs.updateOne(
                Filters.and(
                        byId(tenant, runId),
                        Filters.eq("status", RunStatus.RUNNING.name()),
                        Filters.eq("owner", owner)),
                Updates.combine(Updates.set("waitingFor", reason), Updates.set("waitingSince", new Date())));
    }

    @Override
    public void waitEnded(String tenant, String runId, long waitedMs) {
        runs.updateOne(
                Filters.and(byId(tenant, runId), Filters.eq("owner", owner)),
                Updates.combine(
                        Updates.unset("waitingFor"),
                        Updates.unset("waitingSince"),
                        Updates.inc("outageWaitMs", Math.max(0, waitedMs))));
    }

    @Override
    public Optional<Run> reclaimOwn(String tenant, String runId) {
        Document taken = runs.findOneAndUpdate(
                Filters.and(
                        byId(tenant, runId),
                        Filters.eq("status", RunStatus.RUNNING.name()),
                        Filters.eq("owner", owner)),
                Updates.combine(renewLease(), Updates.unset("waitingFor"), Updates.unset("waitingSince")),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return Optional.ofNullable(taken).map(MongoRunRepository::toRun);
    }

    @Override
    public void recordDefinitionVersion(String tenant, String runId, int version) {
        runs.updateOne(
                Filters.and(byId(tenant, runId), Filters.eq("definitionVersion", null)),
                Updates.set("definitionVersion", version));
    }

    private Bson renewLease() {
        Date now = new Date();
        return Updates.combine(
                Updates.set("owner", owner),
                Updates.set("leaseRenewedAt", now),
                Updates.set("leaseUntil", new Date(now.getTime() + lease.toMillis())));
    }

    private Document toDocument(Run run) {
        Date now = new Date();
        Document document = new Document("_id", run.id())
                .append("tenant", run.tenant())
                .append("agentId", run.agentId())
                .append("agentType", run.agentType())
                .append("input", run.input())
                .append("status", run.status().name())
                .append("steps", List.of())
                .append("usage", StepDocuments.usage(run.usage()))
                .append("createdAt", Date.from(run.createdAt()))
                .append("updatedAt", Date.from(run.updatedAt()))
                .append("traceId", run.traceId())
                .append("taskId", run.taskId())
                .append("approvalWaitMs", 0L)
                .append("pausedMs", 0L)
                .append("owner", owner)
                .append("leaseRenewedAt", now)
                .append("leaseUntil", new Date(now.getTime() + lease.toMillis()));
        if (run.definitionVersion() != null) {
            // a fresh run's version goes in with its insert (no recordDefinitionVersion round trip)
            document.append("definitionVersion", run.definitionVersion());
        }
        return document;
    }

    /**
     * Appends the step unless the run already has one at its index: a retry after a lost acknowledgement (the
     * store applied the write, the answer never came back) does not record it twice.
     */
    @Override
    public void appendStep(String tenant, String runId, Step step, TokenUsage totalUsage) {
        // fenced by owner: a runner whose lease was released or taken over no longer writes the run
        runs.updateOne(
                Filters.and(
                        byId(tenant, runId),
                        Filters.eq("owner", owner),
                        Filters.exists("steps." + step.index(), false)),
                Updates.combine(
                        Updates.push("steps", StepDocuments.toDocument(step)),
                        Updates.set("usage", StepDocuments.usage(totalUsage)),
                        Updates.set("updatedAt", new Date()),
                        renewLease()));
    }

    /**
     * The append as one {@code findOneAndUpdate} returning the run's {@code cancelReason} after the write: one round
     * trip instead of an update and a read. When the append matched nothing (the step was stored already, or this
     * replica no longer owns the run) the cancel request is read on its own.
     */
    @Override
    public Optional<String> appendStepReadingCancel(String tenant, String runId, Step step, TokenUsage totalUsage) {
        Document after = runs.findOneAndUpdate(
                Filters.and(
                        byId(tenant, runId),
                        Filters.eq("owner", owner),
                        Filters.exists("steps." + step.index(), false)),
                Updates.combine(
                        Updates.push("steps", StepDocuments.toDocument(step)),
                        Updates.set("usage", StepDocuments.usage(totalUsage)),
                        Updates.set("updatedAt", new Date()),
                        renewLease()),
                new FindOneAndUpdateOptions()
                        .returnDocument(ReturnDocument.AFTER)
                        .projection(new Document("cancelReason", 1)));
        return after != null ? Optional.ofNullable(after.getString("cancelReason")) : cancelRequested(tenant, runId);
    }

    @Override
    public void finish(Run run) {
        runs.updateOne(byId(run.tenant(), run.id()), ended(run));
    }

    /**
     * The final answer's {@code $push} and the run's end as one update, fenced like {@link #appendStep}. When it
     * matches nothing — the step is stored already (a retry after a lost acknowledgement) or another replica took the
     * run over — the run is ended by {@link #finish} alone, exactly as the separate append and finish did. Sent as a
     * {@code findAndModify} returning only {@code _id}, like the step appends: the same atomic single-document update,
     * and on the local MongoDB stand-in (mongo-java-server) ~1.4 ms faster than an {@code update} command.
     */
    @Override
    public void appendLastStepAndFinish(Run finished, Step last) {
        Document matched = runs.findOneAndUpdate(
                Filters.and(
                        byId(finished.tenant(), finished.id()),
                        Filters.eq("owner", owner),
                        Filters.exists("steps." + last.index(), false)),
                Updates.combine(Updates.push("steps", StepDocuments.toDocument(last)), ended(finished)),
                new FindOneAndUpdateOptions().projection(new Document("_id", 1)));
        if (matched == null) {
            finish(finished);
        }
    }

    private static Bson ended(Run run) {
        return Updates.combine(
                Updates.set("status", run.status().name()),
                Updates.set("result", run.result()),
                Updates.set("error", run.error()),
                Updates.set("usage", StepDocuments.usage(run.usage())),
                Updates.set("updatedAt", Date.from(run.updatedAt())),
                Updates.set("completedAt", run.completedAt() == null ? null : Date.from(run.completedAt())),
                Updates.unset("waitingFor"),
                Updates.unset("waitingSince"),
                Updates.unset("leaseUntil"));
    }

    @Override
    public Optional<Run> requestCancel(String tenant, String runId, String reason) {
        Bson pending = Filters.and(
                byId(tenant, runId),
                Filters.in("status", RunStatus.RUNNING.name(), RunStatus.AWAITING_APPROVAL.name()),
                Filters.eq("cancelReason", null));
        Document updated = runs.findOneAndUpdate(
                pending,
                Updates.combine(Updates.set("cancelReason", reason), Updates.set("cancelRequestedAt", new Date())),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return updated != null ? Optional.of(toRun(updated)) : find(tenant, runId);
    }

    @Override
    public void renewLease(String tenant, String runId) {
        runs.updateOne(
                Filters.and(
                        byId(tenant, runId),
                        Filters.eq("status", RunStatus.RUNNING.name()),
                        Filters.eq("owner", owner)),
                renewLease());
    }

    /** Lets the lease of a run this replica holds lapse now, so another replica's recovery resumes it at once. */
    @Override
    public void releaseLease(String tenant, String runId) {
        runs.updateOne(
                Filters.and(
                        byId(tenant, runId),
                        Filters.eq("status", RunStatus.RUNNING.name()),
                        Filters.eq("owner", owner)),
                released());
    }

    @Override
    public int releaseAllLeases() {
        return (int) runs.updateMany(
                        Filters.and(Filters.eq("status", RunStatus.RUNNING.name()), Filters.eq("owner", owner)),
                        released())
                .getModifiedCount();
    }

    /** A lapsed lease without owner: any replica's recovery claims it, and this runner's late writes are fenced off. */
    private static Bson released() {
        return Updates.combine(
                Updates.set("leaseUntil", new Date(System.currentTimeMillis() - 1)), Updates.unset("owner"));
    }

    @Override
    public Optional<String> cancelRequested(String tenant, String runId) {
        Document d = runs.find(byId(tenant, runId))
                .projection(new Document("cancelReason", 1))
                .first();
        return d == null ? Optional.empty() : Optional.ofNullable(d.getString("cancelReason"));
    }

    @Override
    public Optional<Run> find(String tenant, String runId) {
        return Optional.ofNullable(runs.find(byId(tenant, runId)).first()).map(MongoRunRepository::toRun);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    private static Bson byId(String tenant, String id) {
        return Filters.and(Filters.eq("_id", id), Filters.eq("tenant", tenant));
    }

    private static Run toRun(Document d) {
        List<Step> steps = d.getList("steps", Document.class, List.of()).stream()
                .map(StepDocuments::toStep)
                .toList();
        Date completed = d.getDate("completedAt");
        return new Run(
                d.getString("_id"),
                d.getString("tenant"),
                d.getString("agentId"),
                d.getString("agentType"),
                d.getString("input"),
                RunStatus.valueOf(d.getString("status")),
                steps,
                StepDocuments.usage(d.get("usage", Document.class)),
                d.getString("result"),
                d.getString("error"),
                d.getDate("createdAt").toInstant(),
                d.getDate("updatedAt").toInstant(),
                completed == null ? null : completed.toInstant(),
                d.getString("traceId"),
                d.getString("taskId"),
                d.getString("cancelReason"),
                d.get("approvalWaitMs") instanceof Number waited ? waited.longValue() : 0,
                d.get("definitionVersion") instanceof Number version ? version.intValue() : null,
                d.get("pausedMs") instanceof Number paused ? paused.longValue() : 0,
                d.get("outageWaitMs") instanceof Number waited ? waited.longValue() : 0,
                d.getString("waitingFor"));
    }
}
