package dev.devloop.agent.adapters.out.mongo;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.devloop.agent.config.AgentServiceConfig;
import dev.devloop.agent.domain.Proposal;
import dev.devloop.agent.ports.out.ProposalRepositoryPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Approval proposals in MongoDB collection {@code approvals}, one document per held tool call
 * ({@code _id} = the proposal id, derived from run and call, so a repeat loses the insert); a decision
 * is a conditional update on {@code status: PENDING}, so of two decisions exactly one wins.
 */
@ApplicationScoped
class MongoProposalRepository implements ProposalRepositoryPort {
    private static final int DUPLICATE_KEY = 11000;
    private final MongoCollection<Document> approvals;

    MongoProposalRepository(MongoClient client, AgentServiceConfig config) {
        this.approvals = client.getDatabase(config.database()).getCollection("approvals");
        // indexes: migration V001 (MongoMigrator)
    }

    @Override
    public boolean insertIfAbsent(Proposal p) {
        try {
            approvals.insertOne(new Document("_id", p.id())
                    .append("tenant", p.tenant())
                    .append("runId", p.runId())
                    .append("agentId", p.agentId())
                    .append("agentType", p.agentType())
                    .append("toolCallId", p.toolCallId())
                    .append("tool", p.tool())
                    .append("arguments", p.argumentsJson())
                    .append("reasoning", p.reasoning())
                    .append("status", p.status().name())
                    .append("createdAt", Date.from(p.createdAt())));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCode() == DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<Proposal> find(String tenant, String id) {
        return Optional.ofNullable(approvals.find(byId(tenant, id)).first()).map(MongoProposalRepository::toProposal);
    }

    @Override
    public List<Proposal> list(String tenant, Proposal.Status status, String runId, int limit) {
        List<Bson> filters = new ArrayList<>(List.of(Filters.eq("tenant", tenant)));
        if (status != null) {
            filters.add(Filters.eq("status", status.name()));
        }
        if (runId != null) {
            filters.add(Filters.eq("runId", runId));
        }
        return approvals
                .find(Filters.and(filters))
                .sort(Sorts.descending("createdAt", "_id"))
                .limit(limit)
                .map(MongoProposalRepository::toProposal)
                .into(new ArrayList<>());
    }

    @Override
    public Optional<Proposal> decide(
            String tenant,
            String id,
            Proposal.Status decision,
            String decidedBy,
            String note,
            String reason,
            Instant at) {
        Document decided = approvals.findOneAndUpdate(
                Filters.and(byId(tenant, id), Filters.eq("status", Proposal.Status.PENDING.name())),
                Updates.combine(
                        Updates.set("status", decision.name()),
                        Updates.set("decidedBy", decidedBy),
                        Updates.set("decidedAt", Date.from(at)),
                        Updates.set("note", note),
                        Updates.set("reason", reason),
                        Updates.set("unsettled", true)),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return Optional.ofNullable(decided).map(MongoProposalRepository::toProposal);
    }

    @Override
    public List<Proposal> expirePending(String tenant, String runId, String note, Instant at) {
        List<Proposal> expired = new ArrayList<>();
        List<Document> pending = approvals
                .find(Filters.and(
                        Filters.eq("tenant", tenant),
                        Filters.eq("runId", runId),
                        Filters.eq("status", Proposal.Status.PENDING.name())))
                .projection(new Document("_id", 1))
                .into(new ArrayList<>());
        for (Document d : pending) {
            // one compare-and-set per proposal: a decision racing the run's end either wins or finds it expired
            Document after = approvals.findOneAndUpdate(
                    Filters.and(byId(tenant, d.getString("_id")), Filters.eq("status", Proposal.Status.PENDING.name())),
                    Updates.combine(
                            Updates.set("status", Proposal.Status.EXPIRED.name()),
                            Updates.set("decidedAt", Date.from(at)),
                            Updates.set("note", note)),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
            if (after != null) {
                expired.add(toProposal(after));
            }
        }
        return expired;
    }

    @Override
    public List<Proposal> decidedNotSettled(int max) {
        return approvals
                .find(Filters.eq("unsettled", true))
                .sort(Sorts.ascending("decidedAt"))
                .limit(max)
                .map(MongoProposalRepository::toProposal)
                .into(new ArrayList<>());
    }

    @Override
    public void settled(String tenant, String id) {
        approvals.updateOne(byId(tenant, id), Updates.unset("unsettled"));
    }

    @Override
    public long countPending() {
        return approvals.countDocuments(Filters.eq("status", Proposal.Status.PENDING.name()));
    }

    private static Bson byId(String tenant, String id) {
        return Filters.and(Filters.eq("_id", id), Filters.eq("tenant", tenant));
    }

    private static Proposal toProposal(Document d) {
        Date decided = d.getDate("decidedAt");
        return new Proposal(
                d.getString("_id"),
                d.getString("tenant"),
                d.getString("runId"),
                d.getString("agentId"),
                d.getString("agentType"),
                d.getString("toolCallId"),
                d.getString("tool"),
                d.getString("arguments"),
                d.getString("reasoning"),
                Proposal.Status.valueOf(d.getString("status")),
                d.getDate("createdAt").toInstant(),
                decided == null ? null : decided.toInstant(),
                d.getString("decidedBy"),
                d.getString("note"),
                d.getString("reason"));
    }
}
