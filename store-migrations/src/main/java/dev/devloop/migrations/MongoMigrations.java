package dev.devloop.migrations;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bson.Document;

/**
 * A small versioned-migration runner for one MongoDB database (no library: Mongock needs transactions or its own
 * driver wiring, and mongo-java-server has no transactions). Each {@link Migration} is a numbered list of idempotent
 * {@link Step}s; an applied one is recorded in {@value #COLLECTION} as {@code {_id: "V001", version, description,
 * checksum, appliedAt, by}} (the checksum is SHA-256 over the steps' descriptions). One runner at a time: the lock is
 * the document {@code {_id: "lock", owner, expiresAt}} taken with findOneAndUpdate (expired or free), refreshed
 * between migrations, released at the end; a runner that finds it held waits up to {@code lockWait}. A database
 * recording a version this code does not know, or a known one with another checksum, is refused before anything
 * runs. A step that fails leaves its migration unrecorded (the version unchanged) and the runner FAILED.
 */
public final class MongoMigrations {
    /** The collection recording applied versions and holding the lock. */
    public static final String COLLECTION = "devloop_migrations";

    static final String LOCK_ID = "lock";
    private static final long LOCK_POLL_MILLIS = 250;
    private static final int DUPLICATE_KEY = 11000;

    /** One idempotent change. */
    public interface Step {
        /** A stable text of what it does (the checksum is computed over it). */
        String describe();

        void apply(MongoDatabase database);
    }

    /** A numbered migration (version ≥ 1). */
    public record Migration(int version, String description, List<Step> steps) {
        public Migration {
            if (version < 1 || version > 999) {
                throw new IllegalArgumentException("migration version must be 1..999: " + version);
            }
            steps = List.copyOf(steps);
        }

        public String id() {
            return String.format("V%03d", version);
        }

        public String checksum() {
            StringBuilder b = new StringBuilder(description).append('\n');
            for (Step s : steps) {
                b.append(s.describe()).append('\n');
            }
            try {
                return HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256")
                                .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** An index on {@code collection}: ascending keys, a name, unique/sparse/TTL options. */
    public static Step index(
            String collection,
            String name,
            List<String> keys,
            boolean unique,
            boolean sparse,
            Long expireAfterSeconds) {
        return new Step() {
            @Override
            public String describe() {
                return "index " + collection + "." + name + " " + keys + (unique ? " unique" : "")
                        + (sparse ? " sparse" : "") + (expireAfterSeconds == null ? "" : " ttl=" + expireAfterSeconds);
            }

            @Override
            public void apply(MongoDatabase database) {
                Document spec = new Document();
                keys.forEach(k -> spec.append(k, 1));
                IndexOptions options =
                        new IndexOptions().name(name).unique(unique).sparse(sparse);
                if (expireAfterSeconds != null) {
                    options.expireAfter(expireAfterSeconds, TimeUnit.SECONDS);
                }
                database.getCollection(collection).createIndex(spec, options);
            }
        };
    }

    private final MongoDatabase database;
    private final List<Migration> migrations;
    private final Duration lockWait;
    private final Duration lockTtl;
    private final String owner;

    public MongoMigrations(
            MongoDatabase database, List<Migration> migrations, Duration lockWait, Duration lockTtl, String instance) {
        List<Migration> sorted = new ArrayList<>(migrations);
        sorted.sort((a, b) -> Integer.compare(a.version(), b.version()));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).version() == sorted.get(i - 1).version()) {
                throw new IllegalArgumentException(
                        "two migrations with version " + sorted.get(i).version());
            }
        }
        this.database = database;
        this.migrations = List.copyOf(sorted);
        this.lockWait = lockWait;
        this.lockTtl = lockTtl;
        this.owner = instance + "/" + UUID.randomUUID();
    }

    private MongoCollection<Document> records() {
        return database.getCollection(COLLECTION);
    }

    /** The applied versions the database records, ascending. */
    public List<Document> applied() {
        return records()
                .find(Filters.exists("version"))
                .sort(Sorts.ascending("version"))
                .limit(10_000)
                .into(new ArrayList<>());
    }

    /**
     * Brings the database to the latest version. Throws {@link StoreMigrator.Unreachable} when MongoDB cannot be
     * reached; every other outcome is the returned status.
     */
    public MigrationStatus migrate(Consumer<String> log) {
        try {
            // one read decides a start with nothing pending (every start but the first of a version): it was three
            List<Document> recorded = applied();
            MigrationStatus refused = refusal(recorded);
            if (refused != null) {
                return refused;
            }
            if (pending(recorded).isEmpty()) {
                return new MigrationStatus(MigrationStatus.State.APPLIED, latest(recorded), "");
            }
            if (!lock()) {
                return new MigrationStatus(
                        MigrationStatus.State.REFUSED,
                        latest(applied()),
                        "mongodb " + database.getName()
                                + " migration lock (" + COLLECTION
                                + " _id 'lock') held by another instance for more than "
                                + lockWait.toSeconds() + " s");
            }
            try {
                List<Document> applied = applied();
                refused = refusal(applied);
                if (refused != null) {
                    return refused;
                }
                for (Migration m : pending(applied)) {
                    try {
                        for (Step step : m.steps()) {
                            step.apply(database);
                        }
                    } catch (MongoException e) {
                        if (unreachable(e)) {
                            throw e;
                        }
                        return new MigrationStatus(
                                MigrationStatus.State.FAILED,
                                latest(applied()),
                                "mongodb " + database.getName() + " migration " + m.id() + " (" + m.description()
                                        + ") failed: " + e.getMessage());
                    } catch (RuntimeException e) {
                        return new MigrationStatus(
                                MigrationStatus.State.FAILED,
                                latest(applied()),
                                "mongodb " + database.getName() + " migration " + m.id() + " (" + m.description()
                                        + ") failed: " + e);
                    }
                    records()
                            .insertOne(new Document("_id", m.id())
                                    .append("version", m.version())
                                    .append("description", m.description())
                                    .append("checksum", m.checksum())
                                    .append("appliedAt", new Date())
                                    .append("by", owner));
                    log.accept("mongodb " + database.getName() + " migration " + m.id() + " (" + m.description()
                            + ") applied");
                    refreshLock();
                }
                return new MigrationStatus(MigrationStatus.State.APPLIED, latest(applied()), "");
            } finally {
                unlock();
            }
        } catch (MongoException e) {
            if (unreachable(e)) {
                throw new StoreMigrator.Unreachable("mongodb unreachable: " + e.getMessage(), e);
            }
            return new MigrationStatus(
                    MigrationStatus.State.FAILED,
                    "unknown",
                    "mongodb " + database.getName() + " migrations failed: " + e.getMessage());
        }
    }

    private MigrationStatus refusal(List<Document> applied) {
        int known =
                migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
        List<String> problems = new ArrayList<>();
        for (Document d : applied) {
            int v = ((Number) d.get("version")).intValue();
            Migration m = migrations.stream()
                    .filter(x -> x.version() == v)
                    .findFirst()
                    .orElse(null);
            if (m == null) {
                problems.add(d.get("_id") + " is unknown to this code (it knows up to " + String.format("V%03d", known)
                        + ")");
            } else if (!m.checksum().equals(d.getString("checksum"))) {
                problems.add(m.id() + " was applied with another checksum");
            }
        }
        if (problems.isEmpty()) {
            return null;
        }
        return new MigrationStatus(
                MigrationStatus.State.REFUSED,
                latest(applied),
                "mongodb " + database.getName()
                        + " is newer than or different from this code: " + String.join("; ", problems)
                        + "; deploy the matching code or restore a backup that matches it");
    }

    private List<Migration> pending(List<Document> applied) {
        List<Integer> done = applied.stream()
                .map(d -> ((Number) d.get("version")).intValue())
                .toList();
        return migrations.stream().filter(m -> !done.contains(m.version())).toList();
    }

    private static String latest(List<Document> applied) {
        return applied.isEmpty()
                ? "none"
                : String.valueOf(applied.get(applied.size() - 1).get("_id"));
    }

    private boolean lock() {
        long deadline = System.nanoTime() + lockWait.toNanos();
        while (true) {
            Date now = new Date();
            try {
                records()
                        .findOneAndUpdate(
                                Filters.and(
                                        Filters.eq("_id", LOCK_ID),
                                        Filters.or(Filters.lt("expiresAt", now), Filters.eq("owner", owner))),
                                Updates.combine(
                                        Updates.set("owner", owner),
                                        Updates.set("expiresAt", new Date(now.getTime() + lockTtl.toMillis()))),
                                new FindOneAndUpdateOptions().upsert(true));
                return true; // upserted or updated: ours (a held lock makes the upsert a duplicate key)
            } catch (MongoWriteException | MongoCommandException e) {
                int code = e instanceof MongoWriteException w
                        ? w.getError().getCode()
                        : ((MongoCommandException) e).getCode();
                if (code != DUPLICATE_KEY) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(LOCK_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private void refreshLock() {
        records()
                .updateOne(
                        Filters.and(Filters.eq("_id", LOCK_ID), Filters.eq("owner", owner)),
                        Updates.set("expiresAt", new Date(System.currentTimeMillis() + lockTtl.toMillis())));
    }

    private void unlock() {
        try {
            records().deleteOne(Filters.and(Filters.eq("_id", LOCK_ID), Filters.eq("owner", owner)));
        } catch (MongoException e) {
            // the lock expires by itself after lockTtl
        }
    }

    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MongoTimeoutException || t instanceof MongoSocketException) {
                return true;
            }
        }
        return false;
    }
}
