package dev.devloop.tools.adapters.out.forge.local;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The local forge's records in MongoDB (database {@code devloop_tools}): {@code forge_pull_requests},
 * {@code forge_issues}, {@code forge_checks} and {@code forge_counters}. Every document carries {@code tenant} and
 * {@code repository} and every query filters by both. Pull requests and issues share one number sequence per
 * (tenant, repository), as on GitHub; at most one pull request per head branch is open (a partial unique index).
 * The indexes are tool-service's MongoDB migration V001 ({@code adapters.out.mongo.MongoMigrator}).
 */
public final class ForgeRecords {
    static final String PULLS = "forge_pull_requests";
    static final String ISSUES = "forge_issues";
    static final String CHECKS = "forge_checks";
    static final String COUNTERS = "forge_counters";

    /** A pull request as stored. {@code state}: open, closed or merged. */
    public record Pull(
            String tenant,
            String repository,
            int number,
            String title,
            String body,
            String head,
            String base,
            String headSha,
            String state,
            boolean draft,
            String mergeCommitSha,
            Instant createdAt,
            Instant updatedAt,
            Instant closedAt,
            List<Review> reviews) {}

    public record Review(long id, String state, String body, String author, Instant at) {}

    public record Issue(
            String tenant,
            String repository,
            int number,
            String title,
            String body,
            List<String> labels,
            String state,
            Instant createdAt,
            Instant updatedAt,
            Instant closedAt) {}

    /** A check run. {@code status}: queued, in_progress, completed. */
    public record Check(
            String tenant,
            String repository,
            String id,
            String name,
            String headSha,
            String branch,
            Integer pullNumber,
            String status,
            String conclusion,
            String summary,
            String output,
            boolean truncated,
            Integer exitCode,
            Instant createdAt,
            Instant startedAt,
            Instant completedAt) {}

    private final MongoClient mongo;
    private final String database;

    public ForgeRecords(MongoClient mongo, String database) {
        this.mongo = mongo;
        this.database = database;
    }

    /** The next number of (tenant, repository, sequence), atomically. */
    public long next(String tenant, String repository, String sequence) {
        Document d = collection(COUNTERS)
                .findOneAndUpdate(
                        Filters.eq("_id", key(tenant, repository, sequence)),
                        Updates.combine(
                                Updates.inc("value", 1L),
                                Updates.setOnInsert("tenant", tenant),
                                Updates.setOnInsert("repository", repository)),
                        new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return ((Number) d.get("value")).longValue();
    }

    // --- pull requests

    /** Inserts an open pull request; false when another one of the same head is open. */
    public boolean insert(Pull p) {
        try {
            collection(PULLS)
                    .insertOne(new Document("_id", key(p.tenant(), p.repository(), String.valueOf(p.number())))
                            .append("tenant", p.tenant())
                            .append("repository", p.repository())
                            .append("number", p.number())
                            .append("title", p.title())
                            .append("body", p.body())
                            .append("head", p.head())
                            .append("base", p.base())
                            .append("headSha", p.headSha())
                            .append("state", p.state())
                            .append("draft", p.draft())
                            .append("createdAt", Date.from(p.createdAt()))
                            .append("updatedAt", Date.from(p.updatedAt()))
                            .append("reviews", new ArrayList<>()));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    public Optional<Pull> pull(String tenant, String repository, int number) {
        return Optional.ofNullable(collection(PULLS)
                        .find(Filters.and(scope(tenant, repository), Filters.eq("number", number)))
                        .first())
                .map(ForgeRecords::pull);
    }

    public Optional<Pull> openPullFor(String tenant, String repository, String head) {
        return Optional.ofNullable(collection(PULLS)
                        .find(Filters.and(
                                scope(tenant, repository), Filters.eq("head", head), Filters.eq("state", "open")))
                        .first())
                .map(ForgeRecords::pull);
    }

    public void headMoved(String tenant, String repository, int number, String headSha, Instant at) {
        collection(PULLS)
                .updateOne(
                        Filters.and(scope(tenant, repository), Filters.eq("number", number)),
                        Updates.combine(Updates.set("headSha", headSha), Updates.set("updatedAt", Date.from(at))));
    }

    public void addReview(String tenant, String repository, int number, Review r) {
        collection(PULLS)
                .updateOne(
                        Filters.and(scope(tenant, repository), Filters.eq("number", number)),
                        Updates.combine(
                                Updates.push(
                                        "reviews",
                                        new Document("id", r.id())
                                                .append("state", r.state())
                                                .append("body", r.body())
                                                .append("author", r.author())
                                                .append("at", Date.from(r.at()))),
                                Updates.set("updatedAt", Date.from(r.at()))));
    }

    /** Marks an open pull request merged; false when it was no longer open. */
    public boolean merged(String tenant, String repository, int number, String headSha, String mergeSha, Instant at) {
        return collection(PULLS)
                        .updateOne(
                                Filters.and(
                                        scope(tenant, repository),
                                        Filters.eq("number", number),
                                        Filters.eq("state", "open")),
                                Updates.combine(
                                        Updates.set("state", "merged"),
                                        Updates.set("headSha", headSha),
                                        Updates.set("mergeCommitSha", mergeSha),
                                        Updates.set("closedAt", Date.from(at)),
                                        Updates.set("updatedAt", Date.from(at))))
                        .getModifiedCount()
                == 1;
    }

    // --- issues

    public void insert(Issue i) {
        collection(ISSUES)
                .insertOne(new Document("_id", key(i.tenant(), i.repository(), String.valueOf(i.number())))
                        .append("tenant", i.tenant())
                        .append("repository", i.repository())
                        .append("number", i.number())
                        .append("title", i.title())
                        .append("body", i.body())
                        .append("labels", i.labels())
                        .append("state", i.state())
                        .append("createdAt", Date.from(i.createdAt()))
                        .append("updatedAt", Date.from(i.updatedAt())));
    }

    public Optional<Issue> issue(String tenant, String repository, int number) {
        return Optional.ofNullable(collection(ISSUES)
                        .find(Filters.and(scope(tenant, repository), Filters.eq("number", number)))
                        .first())
                .map(ForgeRecords::issue);
    }

    public void addLabels(String tenant, String repository, int number, List<String> labels, Instant at) {
        collection(ISSUES)
                .updateOne(
                        Filters.and(scope(tenant, repository), Filters.eq("number", number)),
                        Updates.combine(
                                Updates.addEachToSet("labels", labels), Updates.set("updatedAt", Date.from(at))));
    }

    /** Closes an open issue; false when it was already closed. */
    public boolean close(String tenant, String repository, int number, Instant at) {
        return collection(ISSUES)
                        .updateOne(
                                Filters.and(
                                        scope(tenant, repository),
                                        Filters.eq("number", number),
                                        Filters.eq("state", "open")),
                                Updates.combine(
                                        Updates.set("state", "closed"),
                                        Updates.set("closedAt", Date.from(at)),
                                        Updates.set("updatedAt", Date.from(at))))
                        .getModifiedCount()
                == 1;
    }

    // --- checks

    /** Inserts a queued check; false when the head already has a check of that name. */
    public boolean insert(Check c) {
        try {
            collection(CHECKS)
                    .insertOne(new Document("_id", key(c.tenant(), c.repository(), c.id()))
                            .append("tenant", c.tenant())
                            .append("repository", c.repository())
                            .append("id", c.id())
                            .append("name", c.name())
                            .append("headSha", c.headSha())
                            .append("branch", c.branch())
                            .append("pullNumber", c.pullNumber())
                            .append("status", c.status())
                            .append("conclusion", c.conclusion())
                            .append("summary", c.summary())
                            .append("output", c.output())
                            .append("truncated", c.truncated())
                            .append("exitCode", c.exitCode())
                            .append("createdAt", Date.from(c.createdAt())));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /** Marks a queued check running; false when it is no longer queued (it was cancelled meanwhile). */
    public boolean started(String tenant, String repository, String id, Instant at) {
        return collection(CHECKS)
                        .updateOne(
                                Filters.and(
                                        scope(tenant, repository),
                                        Filters.eq("id", id),
                                        Filters.eq("status", "queued")),
                                Updates.combine(
                                        Updates.set("status", "in_progress"), Updates.set("startedAt", Date.from(at))))
                        .getModifiedCount()
                == 1;
    }

    /** Completes a check that is not completed yet (a check completes once); null when it already was. */
    public Check completed(
            String tenant,
            String repository,
            String id,
            String conclusion,
            String summary,
            String output,
            boolean truncated,
            Integer exitCode,
            Instant at) {
        Document d = collection(CHECKS)
                .findOneAndUpdate(
                        Filters.and(
                                scope(tenant, repository),
                                Filters.eq("id", id),
                                Filters.in("status", "queued", "in_progress")),
                        Updates.combine(
                                Updates.set("status", "completed"),
                                Updates.set("conclusion", conclusion),
                                Updates.set("summary", summary),
                                Updates.set("output", output),
                                Updates.set("truncated", truncated),
                                Updates.set("exitCode", exitCode),
                                Updates.set("completedAt", Date.from(at))),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return d == null ? null : check(d);
    }

    public List<Check> checks(String tenant, String repository, String headSha, int limit) {
        return collection(CHECKS)
                .find(Filters.and(scope(tenant, repository), Filters.eq("headSha", headSha)))
                .sort(Sorts.descending("createdAt"))
                .limit(limit)
                .map(ForgeRecords::check)
                .into(new ArrayList<>());
    }

    public Optional<Check> check(String tenant, String repository, String id) {
        return Optional.ofNullable(collection(CHECKS)
                        .find(Filters.and(scope(tenant, repository), Filters.eq("id", id)))
                        .first())
                .map(ForgeRecords::check);
    }

    /** Checks still queued or running that were created before {@code before}; at most {@code limit}. */
    public List<Check> unfinished(Instant before, int limit) {
        return collection(CHECKS)
                .find(Filters.and(
                        Filters.in("status", "queued", "in_progress"), Filters.lt("createdAt", Date.from(before))))
                .limit(limit)
                .map(ForgeRecords::check)
                .into(new ArrayList<>());
    }

    // --- mapping

    private MongoCollection<Document> collection(String name) {
        return mongo.getDatabase(database).getCollection(name);
    }

    private static Bson scope(String tenant, String repository) {
        return Filters.and(Filters.eq("tenant", tenant), Filters.eq("repository", repository));
    }

    private static String key(String tenant, String repository, String id) {
        return tenant + "/" + repository + "/" + id;
    }

    private static Instant instant(Document d, String field) {
        Date date = d.getDate(field);
        return date == null ? null : date.toInstant();
    }

    private static Pull pull(Document d) {
        List<Review> reviews = new ArrayList<>();
        for (Document r : d.getList("reviews", Document.class, List.of())) {
            reviews.add(new Review(
                    ((Number) r.get("id")).longValue(),
                    r.getString("state"),
                    r.getString("body"),
                    r.getString("author"),
                    instant(r, "at")));
        }
        return new Pull(
                d.getString("tenant"),
                d.getString("repository"),
                d.getInteger("number"),
                d.getString("title"),
                d.getString("body"),
                d.getString("head"),
                d.getString("base"),
                d.getString("headSha"),
                d.getString("state"),
                d.getBoolean("draft", false),
                d.getString("mergeCommitSha"),
                instant(d, "createdAt"),
                instant(d, "updatedAt"),
                instant(d, "closedAt"),
                reviews);
    }

    private static Issue issue(Document d) {
        return new Issue(
                d.getString("tenant"),
                d.getString("repository"),
                d.getInteger("number"),
                d.getString("title"),
                d.getString("body"),
                new ArrayList<>(d.getList("labels", String.class, List.of())),
                d.getString("state"),
                instant(d, "createdAt"),
                instant(d, "updatedAt"),
                instant(d, "closedAt"));
    }

    private static Check check(Document d) {
        return new Check(
                d.getString("tenant"),
                d.getString("repository"),
                d.getString("id"),
                d.getString("name"),
                d.getString("headSha"),
                d.getString("branch"),
                d.getInteger("pullNumber"),
                d.getString("status"),
                d.getString("conclusion"),
                d.getString("summary"),
                d.getString("output"),
                d.getBoolean("truncated", false),
                d.getInteger("exitCode"),
                instant(d, "createdAt"),
                instant(d, "startedAt"),
                instant(d, "completedAt"));
    }
}
