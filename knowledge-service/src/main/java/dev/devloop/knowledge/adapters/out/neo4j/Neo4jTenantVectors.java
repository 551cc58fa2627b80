package dev.devloop.knowledge.adapters.out.neo4j;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.neo4j.driver.Record;
import org.neo4j.driver.TransactionContext;

/**
 * Per-tenant vector search in Neo4j 5.26, whose vector index cannot pre-filter: every chunk carries the label
 * {@code TenantChunk_<h>} and every typed entity {@code TenantEntity_<h>} ({@code h} = the first 32 hex digits of
 * SHA-256(tenant)), so a tenant's vectors can be indexed on their own. A search is routed by the tenant's size
 * (the label's node count, which Neo4j answers from its count store):
 * <ul>
 *   <li>fewer than {@code exact-scan-below} vectors: {@link Route#EXACT}, an exact cosine scan of the tenant's
 *       vectors (exact results, and cheaper than an index at that size);</li>
 *   <li>more, with the tenant's own index ONLINE: {@link Route#TENANT_INDEX}, ANN over only the tenant's vectors;
 *       the index ({@code devloop_tv_chunk_<h>} / {@code devloop_tv_entity_<h>}) is created by the write that takes
 *       the tenant over the threshold, which waits up to {@code tenant-index-wait} for it to come ONLINE;</li>
 *   <li>more, with the own index still populating: {@link Route#EXACT} too (bounded by {@code exact-scan-max-chunks};
 *       the tenant has just crossed the threshold, so its vectors are few);</li>
 *   <li>more, without an own index (the per-kind cap {@code max-tenant-indexes} is reached): {@link Route#SHARED},
 *       the shared index with over-fetch, merged with an exact scan of the tenant's vectors not (yet) in it, then a
 *       bounded exact scan when too few hits are left.</li>
 * </ul>
 * The shared indexes cover only the labels {@code SharedChunk} / {@code SharedEntity} (V003), not {@code Chunk} /
 * {@code Entity}: a tenant's vectors carry that label only while the tenant is routed to the shared index, so a small
 * tenant's write pays no shared HNSW insert. The write that finds the cap reached ({@link #ensureIndex}) creates the
 * tenant's marker {@code (:SharedVectorRoute {tenant, kind})} and labels all of its vectors in one statement; every
 * write reads the marker in its own transaction and labels its new vectors when it is there. A write racing that
 * (its transaction read no marker yet) leaves its vectors unlabelled; that write, when it sees the tenant above the
 * threshold, labels the tenant again after its commit, and in any case the shared route's search also scans the
 * tenant's unlabelled vectors exactly, so none is missed. When a freed slot later gives the tenant its own index,
 * the marker is deleted and the {@code Shared*} labels are left (removing them would be another index update each;
 * they go with the vectors). A tenant's index and marker are dropped when its last vector is deleted, which frees its
 * slot under the cap. Labels come from a hash, so they are safe to inline in Cypher; every query still checks
 * {@code tenant} too.
 * <p>
 * The hot statements have one text for all tenants (one plan in Neo4j's query cache, not one per tenant): writes set
 * the label as a dynamic label ({@code CREATE (c:Chunk:$($chunkLabel))}, {@code SET e:$($entityLabel)}; the value
 * checked by {@link #labelParameter}), index names are procedure parameters, and the small-tenant reads count the
 * tenant's chunks through the {@code Chunk(tenant)} index ({@link #BOUNDED_CHUNK_COUNT}) and its typed entities
 * through the {@code Entity(tenant, type)} index ({@link #BOUNDED_ENTITY_COUNT}). Reads that would lose their index with
 * a dynamic label keep it inlined (Neo4j 5.26 plans {@code MATCH (x:$($l))} as a scan of all nodes): the count-store
 * count of a tenant at or above the threshold ({@link #route}, {@link #ensureIndex}), the shared route's statements and
 * the schema commands.
 */
@ApplicationScoped
public class Neo4jTenantVectors {
    private static final Logger LOG = Logger.getLogger(Neo4jTenantVectors.class);

    /** The two kinds of vectors, each with its label prefix and index name prefix. */
    public enum Kind {
        CHUNK("Chunk", "TenantChunk_", "devloop_tv_chunk_", "SharedChunk", Neo4jGraph.CHUNK_VECTOR_INDEX),
        ENTITY("Entity", "TenantEntity_", "devloop_tv_entity_", "SharedEntity", Neo4jGraph.ENTITY_VECTOR_INDEX);

        final String baseLabel;
        final String labelPrefix;
        final String indexPrefix;
        /** The label the shared vector index of this kind covers. */
        public final String sharedLabel;
        /** The shared vector index of this kind. */
        public final String sharedIndex;

        Kind(String baseLabel, String labelPrefix, String indexPrefix, String sharedLabel, String sharedIndex) {
            this.baseLabel = baseLabel;
            this.labelPrefix = labelPrefix;
            this.indexPrefix = indexPrefix;
            this.sharedLabel = sharedLabel;
            this.sharedIndex = sharedIndex;
        }

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How one search is answered. */
    public enum Route {
        EXACT,
        TENANT_INDEX,
        SHARED;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * Thresholds, from {@code devloop.knowledge.search.*} (a test can build its own), and {@code model}: the running
     * embedder's vector space ({@link EmbeddingPort#model()}), the only one every vector route compares against and
     * the one every vector write is tagged with ({@value #MODEL_PROPERTY}).
     */
    public record Settings(
            int exactScanBelow, int maxTenantIndexes, Duration indexWait, int dimensions, String model) {}

    /** The property naming the vector space of a node's {@code embedding}, written in the statement that writes it. */
    public static final String MODEL_PROPERTY = "embeddingModel";

    private static final long ONLINE_RECHECK_NANOS = 60_000_000_000L;
    private static final long ABSENT_RECHECK_NANOS = 2_000_000_000L;

    private final Neo4jGraph graph;
    private final Settings settings;
    private final MeterRegistry registry;
    /** Index name → nanoTime until which "ONLINE" is trusted without asking again. */
    private final Map<String, Long> online = new ConcurrentHashMap<>();
    /** Index name → nanoTime until which "absent" (the shared route) is trusted. */
    private final Map<String, Long> notOnline = new ConcurrentHashMap<>();
    /** Index name → nanoTime until which "exists, not ONLINE yet" (the exact route) is trusted. */
    private final Map<String, Long> populating = new ConcurrentHashMap<>();

    private final Set<String> capWarned = ConcurrentHashMap.newKeySet();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** Set by the startup migration once every existing vector carries its tenant label; until then no index is created. */
    private final AtomicBoolean labelled = new AtomicBoolean();

    @Inject
    public Neo4jTenantVectors(
            Neo4jGraph graph, KnowledgeConfig config, MeterRegistry registry, EmbeddingPort embeddings) {
        this(
                graph,
                new Settings(
                        config.search().exactScanBelow(),
                        config.search().maxTenantIndexes(),
                        config.search().tenantIndexWait(),
                        config.embeddings().dimensions(),
                        embeddings.model()),
                registry);
    }

    public Neo4jTenantVectors(Neo4jGraph graph, Settings settings, MeterRegistry registry) {
        this.graph = graph;
        this.settings = settings;
        this.registry = registry;
    }

    public Settings settings() {
        return settings;
    }

    /** The running embedder's vector space: the {@value #MODEL_PROPERTY} of every vector written and compared. */
    public String model() {
        return settings.model();
    }

    /** The hash part of a tenant's labels and index names: the first 32 hex digits of SHA-256(tenant). */
    static String hash(String tenant) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(tenant.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** The tenant label of {@code kind}, back-quoted for Cypher. */
    public static String label(Kind kind, String tenant) {
        return "`" + kind.labelPrefix + hash(tenant) + "`";
    }

    /** The tenant label of {@code kind}, as a plain name. */
    public static String labelName(Kind kind, String tenant) {
        return kind.labelPrefix + hash(tenant);
    }

    /** The shape of every tenant label: a kind's prefix and 32 lower-case hex digits. */
    private static final Pattern LABEL_SHAPE = Pattern.compile("(?:TenantChunk_|TenantEntity_)[0-9a-f]{32}");

    /**
     * The tenant label of {@code kind} as the value of a dynamic-label parameter ({@code :$($chunkLabel)}), checked
     * against the label shape: a statement that takes its label as a parameter has one text (one plan in Neo4j's
     * query cache) for every tenant, and no value but a tenant label may reach it.
     */
    public static String labelParameter(Kind kind, String tenant) {
        return checkedLabel(labelName(kind, tenant));
    }

    /** {@code label} when it has a tenant label's shape; otherwise an {@link IllegalArgumentException}. */
    static String checkedLabel(String label) {
        if (label == null || !LABEL_SHAPE.matcher(label).matches()) {
            throw new IllegalArgumentException("not a tenant label: " + label);
        }
        return label;
    }

    /**
     * A statement fragment binding {@code n}: the number of the tenant's chunks, counted up to {@code $exactBelow}
     * (the only question asked of it is "below the exact-scan threshold?"). It seeks the {@code Chunk(tenant)} range
     * index, so its text is the same for every tenant; the label count it replaces ({@code MATCH (x:`TenantChunk_<h>`)
     * RETURN count(x)}) is answered from the count store but must inline the label (a dynamic label in a MATCH is
     * planned as a scan of all nodes on Neo4j 5.26). Chunks always carry their tenant label, so both count the same
     * chunks.
     */
    public static final String BOUNDED_CHUNK_COUNT =
            "MATCH (x:Chunk {tenant: $tenant}) WITH x LIMIT $exactBelow WITH count(x) AS n ";

    /**
     * A statement fragment binding {@code n}: the number of the tenant's typed entities ({@code type} set), counted up
     * to {@code $exactBelow}, through the {@code devloop_entity_type} range index on {@code Entity(tenant, type)}
     * ({@code NodeIndexSeek … WHERE tenant = $tenant AND type IS NOT NULL}; a composite range index holds only nodes
     * with both properties, so fact entities, which have no type, are not read). One text for every tenant. Only
     * typed entities get the tenant's entity label (the upsert always sets a type, the migration labels only typed
     * ones, nothing removes a type), so this count is never below the label count: a result below the threshold means
     * the label count is below it too, and {@link #route} decides exactly as with the label count.
     */
    public static final String BOUNDED_ENTITY_COUNT = "MATCH (x:Entity {tenant: $tenant}) WHERE x.type IS NOT NULL "
            + "WITH x LIMIT $exactBelow WITH count(x) AS n ";

    /** The name of the tenant's own vector index of {@code kind}. */
    public static String indexName(Kind kind, String tenant) {
        return kind.indexPrefix + hash(tenant);
    }

    /** The marker label of tenants routed to the shared index ({@code (:SharedVectorRoute {tenant, kind})}). */
    public static final String SHARED_ROUTE = "SharedVectorRoute";

    /**
     * For a write of the tenant's vectors of {@code kind}: reads the tenant's shared-route marker (in the write's own
     * transaction) into the boolean {@code shared}, carrying {@code carried} (the statement's variables so far). The
     * marker has a plain index, not a unique constraint: a unique index seek for an absent key in a write transaction
     * locks the key until commit, which serialised two concurrent writes of one tenant (measured against Neo4j 5.26).
     * Counting makes a duplicate marker (two replicas routing the tenant at once) harmless.
     */
    public static String readShared(Kind kind, String carried) {
        return "OPTIONAL MATCH (route:" + SHARED_ROUTE + " {tenant: $tenant, kind: '" + kind.wire() + "'}) WITH "
                + (carried.isEmpty() ? "" : carried + ", ") + "count(route) > 0 AS shared ";
    }

    /** Labels {@code variable} with the kind's shared label when {@code shared} (see {@link #readShared}). */
    public static String labelIfShared(Kind kind, String variable) {
        return "FOREACH (ignored IN CASE WHEN shared THEN [1] ELSE [] END | SET " + variable + ":" + kind.sharedLabel
                + ") ";
    }

    /** Marks the migration done: from now on writes may create tenant indexes. */
    void labelled() {
        labelled.set(true);
    }

    boolean isLabelled() {
        return labelled.get();
    }

    /** Decides, inside the search's read transaction, how the tenant's vectors are searched. */
    public Route route(TransactionContext tx, Kind kind, String tenant) {
        long count = routingCount(tx, kind, tenant);
        if (count < settings.exactScanBelow()) {
            return Route.EXACT;
        }
        String name = indexName(kind, tenant);
        long now = System.nanoTime();
        Long trusted = online.get(name);
        if (trusted != null && trusted - now > 0) {
            return Route.TENANT_INDEX;
        }
        Long absent = notOnline.get(name);
        if (absent != null && absent - now > 0) {
            return Route.SHARED;
        }
        Long filling = populating.get(name);
        if (filling != null && filling - now > 0) {
            return Route.EXACT;
        }
        List<Record> rows = tx.run(
                        "SHOW VECTOR INDEXES YIELD name, state WHERE name = $name RETURN state", Map.of("name", name))
                .list();
        if (!rows.isEmpty() && "ONLINE".equals(rows.get(0).get("state").asString())) {
            online.put(name, now + ONLINE_RECHECK_NANOS);
            notOnline.remove(name);
            populating.remove(name);
            return Route.TENANT_INDEX;
        }
        if (!rows.isEmpty()) {
            // its own index is populating: the tenant's vectors are not in the shared index, scan them exactly
            populating.put(name, now + ABSENT_RECHECK_NANOS);
            notOnline.remove(name);
            return Route.EXACT;
        }
        notOnline.put(name, now + ABSENT_RECHECK_NANOS);
        return Route.SHARED;
    }

    /**
     * True when this replica has seen the tenant at or above the exact-scan threshold (its own index ONLINE, or not
     * yet): its searches go through {@link #route} directly instead of first trying the guarded exact scan.
     */
    public boolean seenLarge(Kind kind, String tenant) {
        String name = indexName(kind, tenant);
        return online.containsKey(name) || notOnline.containsKey(name) || populating.containsKey(name);
    }

    /** Counts a search by kind and route ({@code devloop_knowledge_vector_searches_total}). */
    public void searched(Kind kind, Route route, boolean scannedAfterIndex) {
        String path = route.wire() + (scannedAfterIndex ? "+exact" : "");
        counters.computeIfAbsent("s|" + kind + "|" + path, k -> Counter.builder("devloop.knowledge.vector.searches")
                        .description(
                                "Vector searches by kind and path: exact scan, the tenant's own index, or the shared index "
                                        + "(+exact when the index left too few hits and the tenant's vectors were scanned exactly)")
                        .tag("kind", kind.wire())
                        .tag("path", path)
                        .register(registry))
                .increment();
    }

    /** Forgets what is known of the tenant's index (after a query on it failed). */
    public void forget(Kind kind, String tenant) {
        online.remove(indexName(kind, tenant));
    }

    /** True when the error is about the tenant's own index (dropped or not ONLINE since it was last checked). */
    public boolean aboutIndex(RuntimeException e, Kind kind, String tenant) {
        String message = e.getMessage();
        return message != null && message.contains(indexName(kind, tenant));
    }

    /**
     * After a write of the tenant's vectors: creates the tenant's own index when the tenant has reached the
     * threshold and has none, and the cap allows; waits (bounded) for it to come ONLINE. Never fails the write.
     */
    public void afterWrite(Kind kind, String tenant) {
        afterWrite(kind, tenant, -1, false);
    }

    /**
     * As {@link #afterWrite(Kind, String)}, with the tenant's vector count as the write's own transaction saw it
     * ({@code -1} when unknown): below the exact-scan threshold nothing is due, so no further round trip is made.
     * {@code sawShared}: the write's transaction found the tenant's shared-route marker (so it labelled its vectors);
     * when it did not and the tenant is routed to the shared index, all its vectors are labelled again here, after
     * the write's commit (a write racing the marker's creation).
     */
    public void afterWrite(Kind kind, String tenant, long knownCount, boolean sawShared) {
        if (!labelled.get()) {
            return;
        }
        if (knownCount >= 0 && knownCount < settings.exactScanBelow()) {
            return;
        }
        String name = indexName(kind, tenant);
        Long trusted = online.get(name);
        if (trusted != null && trusted - System.nanoTime() > 0) {
            return;
        }
        try {
            ensureIndex(kind, tenant, sawShared);
        } catch (RuntimeException e) {
            Log.warnf(
                    "tenant vector index %s not created (searches use the fallback until it is): %s",
                    name, e.getMessage());
        }
    }

    /**
     * Creates the tenant's index if it is due and allowed; true when it exists (in any state) afterwards. When it is
     * due and the cap is reached, routes the tenant to the shared index ({@link #routeShared}) unless the write that
     * called this already found it routed there.
     */
    boolean ensureIndex(Kind kind, String tenant, boolean sawShared) {
        String name = indexName(kind, tenant);
        long count = graph.read(tx -> routingCount(tx, kind, tenant));
        if (count < settings.exactScanBelow()) {
            return false;
        }
        Map<String, Object> p = Map.of("name", name, "prefix", kind.indexPrefix);
        long[] existing = graph.read(tx -> {
            Record r = tx.run(
                            "SHOW VECTOR INDEXES YIELD name WHERE name STARTS WITH $prefix "
                                    + "RETURN count(*) AS n, sum(CASE WHEN name = $name THEN 1 ELSE 0 END) AS mine",
                            p)
                    .single();
            return new long[] {r.get("n").asLong(), r.get("mine").asLong()};
        });
        if (existing[1] == 0) {
            if (existing[0] >= settings.maxTenantIndexes()) {
                if (capWarned.add(name)) {
                    Log.warnf(
                            "tenant vector index cap reached (%d %s indexes): tenant %s (%d vectors) is searched through "
                                    + "the shared index",
                            existing[0], kind.wire(), tenant, count);
                }
                counters.computeIfAbsent(
                                "cap|" + kind, k -> Counter.builder("devloop.knowledge.vector.index.cap.reached")
                                        .description(
                                                "Writes of a tenant due for its own vector index when the per-kind cap was reached")
                                        .tag("kind", kind.wire())
                                        .register(registry))
                        .increment();
                if (!sawShared) {
                    routeShared(kind, tenant);
                }
                return false;
            }
            graph.schema("CREATE VECTOR INDEX `" + name + "` IF NOT EXISTS FOR (x:" + label(kind, tenant)
                    + ") ON (x.embedding) OPTIONS {indexConfig: {`vector.dimensions`: " + settings.dimensions()
                    + ", `vector.similarity_function`: 'cosine'}}");
            counters.computeIfAbsent("created|" + kind, k -> Counter.builder("devloop.knowledge.vector.indexes.created")
                            .description("Per-tenant vector indexes created")
                            .tag("kind", kind.wire())
                            .register(registry))
                    .increment();
            LogFields.of("index", name, "tenant", tenant, "vectors", count).info(LOG, "tenant vector index created");
            // its own index from now on: later writes need not label their vectors for the shared index (the labels
            // already given are left: removing them is an index update per vector, and the route no longer reads them)
            graph.write(tx -> tx.run(
                            "MATCH (m:" + SHARED_ROUTE + " {tenant: $tenant, kind: $kind}) DELETE m",
                            Map.of("tenant", tenant, "kind", kind.wire()))
                    .consume());
        }
        try {
            graph.schema("CALL db.awaitIndex('" + name + "', "
                    + Math.max(1, settings.indexWait().toSeconds()) + ")");
            online.put(name, System.nanoTime() + ONLINE_RECHECK_NANOS);
            notOnline.remove(name);
        } catch (RuntimeException e) {
            Log.infof(
                    "tenant vector index %s not ONLINE after %s; searches use the fallback until it is",
                    name, settings.indexWait());
        }
        return true;
    }

    /**
     * Routes the tenant to the shared index: creates its marker (later writes read it and label their vectors) and,
     * in the same statement, gives all of its vectors the shared label. Idempotent; returns the vectors labelled now.
     */
    long routeShared(Kind kind, String tenant) {
        long labelled = graph.writeBulk(tx -> tx.run(
                        "MERGE (m:" + SHARED_ROUTE
                                + " {tenant: $tenant, kind: $kind}) ON CREATE SET m.at = timestamp() "
                                + "WITH m MATCH (x:" + label(kind, tenant) + ") WHERE NOT x:" + kind.sharedLabel
                                + " SET x:" + kind.sharedLabel + " RETURN count(x) AS n",
                        Map.of("tenant", tenant, "kind", kind.wire()))
                .single()
                .get("n")
                .asLong());
        if (labelled > 0) {
            LogFields.of("tenant", tenant, "kind", kind.wire(), "vectors", labelled)
                    .info(LOG, "tenant routed to the shared vector index");
        }
        return labelled;
    }

    /**
     * The exact scan, for the shared route, of the tenant's vectors that miss the shared label (written by a write
     * that raced the tenant's routing, or before it); {@code node} names the scanned node.
     */
    public static String unlabelled(Kind kind, String tenant, String node) {
        return "MATCH (" + node + ":" + label(kind, tenant) + ") WHERE NOT " + node + ":" + kind.sharedLabel + " ";
    }

    /** After a delete: drops the tenant's index once it has no vectors left (frees its slot under the cap). */
    public void afterDelete(Kind kind, String tenant) {
        try {
            long count = graph.read(tx -> kind == Kind.CHUNK ? anyChunk(tx, tenant) : count(tx, kind, tenant));
            if (count == 0) {
                String name = indexName(kind, tenant);
                online.remove(name);
                populating.remove(name);
                graph.schema("DROP INDEX `" + name + "` IF EXISTS");
                graph.write(tx -> tx.run(
                                "MATCH (m:" + SHARED_ROUTE + " {tenant: $tenant, kind: $kind}) DELETE m",
                                Map.of("tenant", tenant, "kind", kind.wire()))
                        .consume());
            }
        } catch (RuntimeException e) {
            Log.warnf("tenant vector index of %s not dropped: %s", tenant, e.getMessage());
        }
    }

    /** 1 when the tenant has a chunk, else 0: one statement text for every tenant (the {@code Chunk(tenant)} index). */
    private static long anyChunk(TransactionContext tx, String tenant) {
        return tx.run("MATCH (x:Chunk {tenant: $tenant}) WITH x LIMIT 1 RETURN count(x) AS n", Map.of("tenant", tenant))
                .single()
                .get("n")
                .asLong();
    }

    /**
     * The count {@link #route} and {@link #ensureIndex} compare with the threshold. For entities of a tenant this
     * replica has not seen at or above it, first {@link #BOUNDED_ENTITY_COUNT} (one text for every tenant): below the
     * threshold it is the answer (the label count is then below it too). Otherwise, and for chunks (whose searches
     * reach {@link #route} only once the bounded chunk count said "not below", or when seen large), the label count.
     */
    private long routingCount(TransactionContext tx, Kind kind, String tenant) {
        if (kind == Kind.ENTITY && !seenLarge(kind, tenant)) {
            long typed = tx.run(
                            BOUNDED_ENTITY_COUNT + "RETURN n",
                            Map.of("tenant", tenant, "exactBelow", settings.exactScanBelow()))
                    .single()
                    .get("n")
                    .asLong();
            if (typed < settings.exactScanBelow()) {
                return typed;
            }
        }
        return count(tx, kind, tenant);
    }

    /**
     * The tenant's vector count from the count store. Its text inlines the tenant label (a dynamic label would scan
     * every node), so it is a statement per tenant: only tenants at or above the exact-scan threshold reach it from
     * {@link #route} and {@link #ensureIndex} (few, bounded by the index cap; see {@link #routingCount}).
     */
    private static long count(TransactionContext tx, Kind kind, String tenant) {
        return tx.run("MATCH (x:" + label(kind, tenant) + ") RETURN count(x) AS n")
                .single()
                .get("n")
                .asLong();
    }
}
