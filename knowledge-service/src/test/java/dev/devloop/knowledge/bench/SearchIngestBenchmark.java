package dev.devloop.knowledge.bench;

import dev.devloop.knowledge.adapters.out.embeddings.LocalEmbeddings;
import dev.devloop.knowledge.adapters.out.neo4j.Neo4jTenantVectors;
import dev.devloop.knowledge.application.DocumentService;
import dev.devloop.knowledge.application.KeywordSide;
import dev.devloop.knowledge.application.ReadCache;
import dev.devloop.knowledge.application.SearchService;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.domain.TextSplitter;
import dev.devloop.knowledge.ports.in.BatchIngestResult;
import dev.devloop.knowledge.ports.in.IngestBatchCommand;
import dev.devloop.knowledge.ports.in.IngestDocumentCommand;
import dev.devloop.knowledge.ports.in.SearchCommand;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * Not a test (its name keeps it out of {@code verify}): issue #16 goal 5, hybrid search including the query
 * embedding and document ingestion, on the real Neo4j with the in-process model. Baseline and devloop run in the
 * same JVM, in alternating blocks of ten calls so both see the same load: the <b>baseline</b> is the path as it was
 * (LangChain4j's {@link AllMiniLmL6V2EmbeddingModel}, default ONNX session: spinning threads, each text tokenized
 * twice, one inference per text; a hybrid search's keyword query after the vector one), <b>devloop</b> is the path as
 * configured now ({@link LocalEmbeddings}: same model and vectors, non-spinning session, one tokenization, padded
 * inference batches; for a tenant below the exact-scan size one Neo4j statement holding both the vector scan and
 * the keyword query, after the query is embedded). Everything else — splitter,
 * Neo4j store, search service with the read cache off — is the same code for both; each side has its own tenant
 * holding the same documents. Queries are unique (no two calls embed the same text). Run it with {@code bench/run.sh} (writes
 * {@code $BENCH_OUT/knowledge.md}) or
 * {@code ./mvnw -B -o -pl knowledge-service test -Dtest=SearchIngestBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Knobs: {@code -Dbench.docs=50} (documents per side), {@code -Dbench.rounds=200} (timed calls per side and row),
 * {@code -Dbench.budgetSeconds=40} (each row stops after this), {@code -Dbench.batch=25} (documents per batch-API call in
 * the batch-vs-single ingest rows: fresh tenants, the same documents, groups alternately one call per document and
 * one call per group; then every group posted again, all unchanged).
 */
@QuarkusTest
@TestProfile(SearchIngestBenchmark.Isolated.class)
class SearchIngestBenchmark {
    /** Service logs at WARN, and no Kafka consumers: other builds' events on the shared broker are not timed here. */
    public static class Isolated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>();
            overrides.put("quarkus.log.category.\"dev.devloop.knowledge\".level", "WARN");
            for (String channel : List.of("agent-lifecycle", "cache-invalidation", "forge-events", "knowledge-facts")) {
                overrides.put("mp.messaging.incoming." + channel + ".enabled", "false");
            }
            return overrides;
        }
    }

    private static final int DOCS = Math.max(5, Math.min(500, Integer.getInteger("bench.docs", 50)));
    private static final int ROUNDS = Math.max(20, Math.min(5000, Integer.getInteger("bench.rounds", 200)));
    private static final int BLOCK = 10;
    private static final int BATCH = Math.max(1, Math.min(100, Integer.getInteger("bench.batch", 25)));
    /**
     * Stop 31's A/B knob: both sides' tenants routed to the shared vector index before they ingest (their marker), so
     * every chunk write also inserts into the shared HNSW index, as every write did until stop 30.
     */
    private static final boolean SHARED_ROUTE = Boolean.getBoolean("bench.sharedRoute");

    /**
     * Stop 34's A/B knob: false gives devloop's side an embedder that cannot stop early, so a single document's stored
     * hash is read before its embedding (the path before stop 34) instead of during it.
     */
    private static final boolean HASH_OVERLAP = Boolean.parseBoolean(System.getProperty("bench.hashOverlap", "true"));

    /** The in-process model as an embedder that cannot stop early (stop 34's "before"). */
    record ReadFirst(EmbeddingPort embedder) implements EmbeddingPort {
        @Override
        public List<float[]> embed(String tenant, List<String> texts) {
            return embedder.embed(tenant, texts);
        }

        @Override
        public int dimensions() {
            return embedder.dimensions();
        }

        @Override
        public String model() {
            return embedder.model();
        }
    }

    private static final long BUDGET_NANOS =
            Math.max(5, Math.min(300, Integer.getInteger("bench.budgetSeconds", 40))) * 1_000_000_000L;

    @Inject
    KnowledgeConfig config;

    @Inject
    BenchStores stores;

    private static final String[] WORDS = ("kafka partition ordering consumer group redis key expiry eviction memory "
                    + "neo4j graph relationship path query circuit breaker failure probe dependency vector index nearest "
                    + "neighbour embedding cosine rate limit token bucket burst trace context header propagation retrieval "
                    + "generation citation passage kubernetes pod node container restart idempotency retry request operation "
                    + "schema migration tenant isolation cache invalidation latency throughput replica shard leader election "
                    + "snapshot compaction backpressure timeout deadline quota budget audit")
            .split(" ");

    private static final String[] TOPICS = {
        "Kafka partitions keep per-key ordering while consumers in a group share the partitions.",
        "Redis keys expire with a TTL; eviction policies decide what goes when memory is full.",
        "Neo4j stores nodes and typed relationships and answers variable-length path queries.",
        "Circuit breakers open after repeated failures and probe the dependency before closing again.",
        "Vector indexes answer approximate nearest-neighbour queries over embeddings with cosine similarity.",
        "Rate limiting with token buckets smooths bursts while keeping an average request rate.",
        "OpenTelemetry propagates trace context across services through the traceparent header.",
        "Retrieval-augmented generation grounds model answers in retrieved passages with citations.",
        "Kubernetes schedules pods onto nodes and restarts containers that fail their probes.",
        "Idempotency keys let clients retry requests without applying the same operation twice.",
    };

    /** The embedding path before this change, kept here as the baseline. */
    static final class LangChain4jEmbeddings implements EmbeddingPort {
        private final AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel(Runnable::run);
        private final int maxBatchSize;

        LangChain4jEmbeddings(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
        }

        @Override
        public List<float[]> embed(String tenant, List<String> texts) {
            List<float[]> vectors = new ArrayList<>(texts.size());
            for (int from = 0; from < texts.size(); from += maxBatchSize) {
                List<TextSegment> batch = texts.subList(from, Math.min(texts.size(), from + maxBatchSize)).stream()
                        .map(TextSegment::from)
                        .toList();
                for (Embedding e : model.embedAll(batch).content()) {
                    vectors.add(e.vector());
                }
            }
            return vectors;
        }

        @Override
        public int dimensions() {
            return 384;
        }

        /** LangChain4j's all-MiniLM-L6-v2: the fp32 vectors of the in-process model. */
        @Override
        public String model() {
            return dev.devloop.knowledge.ports.out.EmbeddingModels.FP32;
        }
    }

    private record Side(
            String name, String tenant, EmbeddingPort embeddings, DocumentService documents, SearchService search) {}

    /** {@code headP50}/{@code tailP50}: the p50 of the calls at positions 1–2 / 3–10 of their block (0 when unknown). */
    private record Stats(
            int n,
            double p50,
            double p99,
            double totalSeconds,
            double headP50,
            double tailP50,
            double firstHalfP50,
            double secondHalfP50) {
        Stats(int n, double p50, double p99, double totalSeconds) {
            this(n, p50, p99, totalSeconds, 0, 0, 0, 0);
        }

        double perSecond() {
            return n / totalSeconds;
        }
    }

    private final List<String[]> rows = new ArrayList<>();
    private final List<String> batchTenants = new ArrayList<>();

    @Test
    void run() throws IOException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Side baseline = side(
                "langchain4j",
                "bench-base-" + run,
                new LangChain4jEmbeddings(config.embeddings().maxBatchSize()),
                Runnable::run);
        // as KnowledgeWiring builds it: the hybrid search's keyword query on its own small pool
        ExecutorService keywordSide =
                Executors.newFixedThreadPool(Math.max(1, config.search().keywordThreads()));
        // the keyword side as configured before the one-statement hybrid: overlapping the query embedding
        KeywordSide overlapped = KeywordSide.on(config.search().keywordThreads() == 0 ? Runnable::run : keywordSide);
        Side devloop = side(
                "devloop",
                "bench-new-" + run,
                HASH_OVERLAP ? stores.embeddings : new ReadFirst(stores.embeddings),
                overlapped,
                config.search().hybridOneStatement());
        long started = System.nanoTime();
        System.out.printf(
                Locale.ROOT,
                "%n=== knowledge search/ingest benchmark (%d documents per side, %d rounds, load %s) ===%n",
                DOCS,
                ROUNDS,
                load());
        try {
            Random random = new Random(16);
            for (int i = 0; i < 10; i++) { // load both models and warm the JIT
                baseline.embeddings().embed("w", List.of(uniqueQuery(random, new HashSet<>())));
                devloop.embeddings().embed("w", List.of(uniqueQuery(random, new HashSet<>())));
            }

            if (SHARED_ROUTE) {
                try (var session = stores.neo4j.session()) {
                    for (String t : List.of(baseline.tenant(), devloop.tenant())) {
                        session.run(
                                        "MERGE (:" + Neo4jTenantVectors.SHARED_ROUTE + " {tenant: $t, kind: 'chunk'})",
                                        Map.of("t", t))
                                .consume();
                    }
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "ingest, both tenants routed to the shared vector index (stop 30's write): %s%n",
                    SHARED_ROUTE ? "yes" : "no");
            System.out.printf(
                    Locale.ROOT,
                    "ingest, devloop's stored-hash read during the embedding (stop 34): %s; neo4j %s%n",
                    HASH_OVERLAP ? "yes" : "no, before it",
                    org.eclipse.microprofile.config.ConfigProvider.getConfig()
                            .getOptionalValue("quarkus.neo4j.uri", String.class)
                            .orElse("unknown"));

            System.out.printf(
                    Locale.ROOT,
                    "ingest, document write as one auto-commit statement (stop 39): %s%n",
                    config.stores().neo4jDocumentWriteAutoCommit());

            // 1. ingestion: the same documents, one per side in turn
            List<String> texts = new ArrayList<>();
            for (int d = 0; d < DOCS; d++) {
                texts.add(document(d));
            }
            int[] chunks = new int[2];
            Stats[] ingest = interleaved(
                    DOCS,
                    Long.MAX_VALUE,
                    List.of(
                            i -> chunks[0] += baseline.documents()
                                    .ingest(command(baseline.tenant(), i, texts.get(i)))
                                    .chunkCount(),
                            i -> chunks[1] += devloop.documents()
                                    .ingest(command(devloop.tenant(), i, texts.get(i)))
                                    .chunkCount()));
            report(
                    "ingest, documents/s (" + DOCS + " docs, " + chunks[1] + " chunks)",
                    ingest[1].perSecond(),
                    ingest[0].perSecond(),
                    "%.1f");
            report(
                    "ingest, chunks/s",
                    chunks[1] / ingest[1].totalSeconds(),
                    chunks[0] / ingest[0].totalSeconds(),
                    "%.1f");
            report("ingest, p50 ms per document", ingest[1].p50(), ingest[0].p50(), "%.1f");

            // 1b. the batch API against the single one, devloop's embedder on both sides, fresh tenants: groups of
            // BATCH documents alternately one call per document and one call per group, so both see the same load
            Stats[] viaBatch = batchAgainstSingle(devloop, run, texts);
            report(
                    "ingest, batch API (" + BATCH + " per call) vs single API, documents/s",
                    viaBatch[1].perSecond(),
                    viaBatch[0].perSecond(),
                    "%.1f");
            report(
                    "ingest, part: embedding alone / batch API, s per document",
                    1 / viaBatch[3].perSecond(),
                    1 / viaBatch[1].perSecond(),
                    "%.4f");
            report(
                    "ingest, batch API re-post (all unchanged) vs single API, documents/s",
                    viaBatch[2].perSecond(),
                    viaBatch[0].perSecond(),
                    "%.1f");
            report(
                    "ingest, single API re-post (all unchanged) vs single API, documents/s",
                    viaBatch[4].perSecond(),
                    viaBatch[0].perSecond(),
                    "%.1f");

            // 2. the query embedding alone, unique queries
            Set<String> used = new HashSet<>();
            List<String> queries = new ArrayList<>();
            for (int i = 0; i < 7 * ROUNDS + 40; i++) {
                queries.add(uniqueQuery(random, used));
            }
            Stats[] embed = interleaved(
                    ROUNDS,
                    BUDGET_NANOS,
                    List.of(
                            i -> baseline.embeddings().embed(baseline.tenant(), List.of(queries.get(2 * i))),
                            i -> devloop.embeddings().embed(devloop.tenant(), List.of(queries.get(2 * i + 1)))));
            report("query embedding alone, p50 ms", embed[1].p50(), embed[0].p50(), "%.2f");
            report("query embedding alone, p99 ms", embed[1].p99(), embed[0].p99(), "%.2f");

            // 3. hybrid search including the query embedding, unique queries; keyword-only as the floor
            int offset = 2 * ROUNDS;
            Stats[] hybrid = interleaved(
                    ROUNDS,
                    BUDGET_NANOS,
                    List.of(
                            i -> baseline.search()
                                    .search(search(baseline.tenant(), queries.get(offset + 2 * i), "hybrid")),
                            i -> devloop.search()
                                    .search(search(devloop.tenant(), queries.get(offset + 2 * i + 1), "hybrid"))));
            report("hybrid search incl. embedding, p50 ms", hybrid[1].p50(), hybrid[0].p50(), "%.2f");
            report("hybrid, devloop p50 ms: block calls 1-2 vs 3-10", hybrid[1].headP50(), hybrid[1].tailP50(), "%.2f");
            report(
                    "hybrid, devloop p50 ms: first vs second half of the row",
                    hybrid[1].firstHalfP50(),
                    hybrid[1].secondHalfP50(),
                    "%.2f");
            report("hybrid search incl. embedding, p99 ms", hybrid[1].p99(), hybrid[0].p99(), "%.2f");
            report("hybrid search, searches/s (1 client)", hybrid[1].perSecond(), hybrid[0].perSecond(), "%.1f");
            // 3b. the keyword side through the async driver against the pool thread, same tenant, unique queries
            SearchService async = new SearchService(
                    stores.store,
                    devloop.embeddings(),
                    stores.searchLimits,
                    stores.documentLimits,
                    ReadCache.disabled(),
                    KeywordSide.storeAsync());
            // 3c. the same devloop search, the keyword query overlapping the embedding on the pool (the path before the
            // one-statement hybrid) against both sides in one statement, same tenant, unique queries
            SearchService pool = stores.uncachedSearch(devloop.embeddings(), overlapped);
            SearchService oneStatement = stores.uncachedSearch(devloop.embeddings(), overlapped, true);
            int asyncOffset = 4 * ROUNDS;
            Stats[] sides = interleaved(
                    ROUNDS,
                    BUDGET_NANOS,
                    List.of(
                            i -> pool.search(search(devloop.tenant(), queries.get(asyncOffset + 3 * i), "hybrid")),
                            i -> async.search(search(devloop.tenant(), queries.get(asyncOffset + 3 * i + 1), "hybrid")),
                            i -> oneStatement.search(
                                    search(devloop.tenant(), queries.get(asyncOffset + 3 * i + 2), "hybrid"))));
            report("hybrid, keyword side async driver vs pool, p50 ms", sides[1].p50(), sides[0].p50(), "%.2f");
            report("hybrid, keyword side async driver vs pool, p99 ms", sides[1].p99(), sides[0].p99(), "%.2f");
            report("hybrid, one statement vs pool overlap, p50 ms", sides[2].p50(), sides[0].p50(), "%.2f");
            report("hybrid, one statement vs pool overlap, p99 ms", sides[2].p99(), sides[0].p99(), "%.2f");
            report(
                    "hybrid, one statement p50 ms: block calls 1-2 vs 3-10",
                    sides[2].headP50(),
                    sides[2].tailP50(),
                    "%.2f");
            Stats keyword = interleaved(ROUNDS, BUDGET_NANOS, List.of(i -> devloop.search()
                    .search(search(devloop.tenant(), queries.get(i), "keyword"))))[0];
            report("hybrid p50 ms vs keyword-only p50 ms (no embedding)", hybrid[1].p50(), keyword.p50(), "%.2f");

            // 4. where a devloop hybrid search goes: each part alone, as a share of the whole (baseline = hybrid p50)
            List<float[]> vectors = devloop.embeddings().embed(devloop.tenant(), queries.subList(0, ROUNDS));
            int candidates = Math.min(
                    config.search().maxCandidates(), 5 * config.search().hybridCandidateFactor());
            Stats[] parts = interleaved(
                    ROUNDS,
                    BUDGET_NANOS,
                    List.of(
                            i -> stores.store.nearest(devloop.tenant(), vectors.get(i), candidates, Map.of()),
                            i -> stores.store.keyword(devloop.tenant(), queries.get(i), candidates, Map.of())));
            report("part: query embedding p50 ms / hybrid p50", embed[1].p50(), hybrid[1].p50(), "%.2f");
            report("part: vector store call p50 ms / hybrid p50", parts[0].p50(), hybrid[1].p50(), "%.2f");
            report("part: keyword store call p50 ms / hybrid p50", parts[1].p50(), hybrid[1].p50(), "%.2f");

            System.out.printf(Locale.ROOT, "%n%-56s %12s %12s %8s%n", "measure", "devloop", "baseline", "ratio");
            for (String[] row : rows) {
                System.out.printf(Locale.ROOT, "%-56s %12s %12s %8s%n", (Object[]) row);
            }
            System.out.printf(
                    Locale.ROOT,
                    "ratio = devloop / baseline; load after: %s; total %.1f s%n",
                    load(),
                    (System.nanoTime() - started) / 1e9);
            write();
        } finally {
            keywordSide.shutdownNow();
            stores.dropTenant(baseline.tenant());
            stores.dropTenant(devloop.tenant());
            batchTenants.forEach(stores::dropTenant);
        }
    }

    /**
     * Stats of the single API (per document), the batch API (per group), a re-post of every group (all unchanged),
     * the groups' chunk texts through the embedder alone and a re-post of every document through the single API, each
     * with n = documents and the total time, so {@code perSecond()} is documents/s.
     */
    private Stats[] batchAgainstSingle(Side devloop, String run, List<String> texts) {
        String single = "bench-single-" + run;
        String batched = "bench-batch-" + run;
        batchTenants.add(single);
        batchTenants.add(batched);
        DocumentService documents =
                new DocumentService(stores.store, devloop.embeddings(), stores.documentLimits, Clock.systemUTC());
        long[] totals = new long[5];
        List<List<IngestDocumentCommand>> groups = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += BATCH) {
            List<IngestDocumentCommand> group = new ArrayList<>();
            for (int i = from; i < Math.min(texts.size(), from + BATCH); i++) {
                group.add(command(null, i, texts.get(i)));
            }
            boolean batchFirst = groups.size() % 2 == 1; // alternate which side runs first, so neither is always second
            groups.add(group);
            if (batchFirst) {
                totals[1] += timed(() -> documents.ingestBatch(new IngestBatchCommand(batched, group)));
            }
            totals[0] += timed(() -> group.forEach(c -> documents.ingest(withTenant(c, single))));
            if (!batchFirst) {
                totals[1] += timed(() -> documents.ingestBatch(new IngestBatchCommand(batched, group)));
            }
        }
        // where the batch's time goes: the same chunk texts through the embedder alone, in the use case's calls
        TextSplitter splitter =
                new TextSplitter(stores.documentLimits.chunkSize(), stores.documentLimits.chunkOverlap());
        int perCall = stores.documentLimits.embedBatchSize();
        for (List<IngestDocumentCommand> group : groups) {
            List<String> pieces = new ArrayList<>();
            group.forEach(c -> pieces.addAll(splitter.split(c.text())));
            totals[3] += timed(() -> {
                for (int from = 0; from < pieces.size(); from += perCall) {
                    devloop.embeddings().embed(batched, pieces.subList(from, Math.min(pieces.size(), from + perCall)));
                }
            });
        }
        for (List<IngestDocumentCommand> group : groups) {
            long t0 = System.nanoTime();
            BatchIngestResult again = documents.ingestBatch(new IngestBatchCommand(batched, group));
            totals[2] += System.nanoTime() - t0;
            if (again.count(BatchIngestResult.Result.UNCHANGED) != group.size()) {
                throw new IllegalStateException("a re-post was not unchanged: " + again);
            }
        }
        // the single API's re-post: unchanged content is a no-op (one hash read, one document read)
        for (List<IngestDocumentCommand> group : groups) {
            totals[4] += timed(() -> group.forEach(c -> documents.ingest(withTenant(c, single))));
        }
        Stats[] stats = new Stats[5];
        for (int k = 0; k < 5; k++) {
            stats[k] = new Stats(texts.size(), 0, 0, totals[k] / 1e9);
        }
        return stats;
    }

    private static long timed(Runnable work) {
        long t0 = System.nanoTime();
        work.run();
        return System.nanoTime() - t0;
    }

    private static IngestDocumentCommand withTenant(IngestDocumentCommand c, String tenant) {
        return new IngestDocumentCommand(tenant, c.id(), c.title(), c.text(), c.contentType(), c.metadata());
    }

    private Side side(String name, String tenant, EmbeddingPort port, Executor keywordSide) {
        return side(name, tenant, port, KeywordSide.on(keywordSide));
    }

    private Side side(String name, String tenant, EmbeddingPort port, KeywordSide keywordSide) {
        return side(name, tenant, port, keywordSide, false);
    }

    private Side side(String name, String tenant, EmbeddingPort port, KeywordSide keywordSide, boolean oneStatement) {
        return new Side(
                name,
                tenant,
                port,
                new DocumentService(stores.store, port, stores.documentLimits, Clock.systemUTC()),
                stores.uncachedSearch(port, keywordSide, oneStatement));
    }

    /** ~1 000–1 300 characters of prose: two chunks at the default 800-character chunk size. */
    private static String document(int d) {
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < 12; p++) {
            text.append(TOPICS[(d * 7 + p) % TOPICS.length])
                    .append(" Section ")
                    .append(d)
                    .append('.')
                    .append(p);
            text.append(p % 3 == 2 ? "\n\n" : " ");
        }
        return text.toString();
    }

    private static IngestDocumentCommand command(String tenant, int i, String text) {
        return new IngestDocumentCommand(tenant, "doc-" + i, "Doc " + i, text, "text/plain", Map.of("n", i));
    }

    private static SearchCommand search(String tenant, String query, String mode) {
        return new SearchCommand(tenant, query, mode, 5, null, null, null, null);
    }

    /** Four to seven vocabulary words, never the same sequence twice. */
    private static String uniqueQuery(Random random, Set<String> used) {
        while (true) {
            int n = 4 + random.nextInt(4);
            StringBuilder q = new StringBuilder();
            for (int i = 0; i < n; i++) {
                q.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
            if (used.add(q.toString())) {
                return q.toString();
            }
        }
    }

    /**
     * Runs the operations in alternating blocks of {@link #BLOCK} calls (A-block, B-block, A-block, …), {@code rounds}
     * calls each (or until the budget), timing every call. Blocks rather than call by call: the baseline's ONNX
     * threads keep spinning for a while after each of its calls, which would be charged to the call that follows;
     * alternation still gives both sides the same share of the box's changing load.
     */
    private static Stats[] interleaved(int rounds, long budgetNanos, List<IntConsumer> ops) {
        long[][] times = new long[ops.size()][rounds];
        long[] totals = new long[ops.size()];
        long deadline = budgetNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + budgetNanos;
        int done = 0;
        while (done < rounds && System.nanoTime() < deadline) {
            int end = Math.min(rounds, done + BLOCK);
            for (int k = 0; k < ops.size(); k++) {
                for (int i = done; i < end; i++) {
                    long t0 = System.nanoTime();
                    ops.get(k).accept(i);
                    times[k][i] = System.nanoTime() - t0;
                    totals[k] += times[k][i];
                }
            }
            done = end;
        }
        Stats[] stats = new Stats[ops.size()];
        for (int k = 0; k < ops.size(); k++) {
            long[] sorted = Arrays.copyOf(times[k], done);
            Arrays.sort(sorted);
            long[] head = new long[done];
            long[] tail = new long[done];
            int heads = 0;
            int tails = 0;
            for (int i = 0; i < done; i++) {
                if (i % BLOCK < 2) {
                    head[heads++] = times[k][i];
                } else {
                    tail[tails++] = times[k][i];
                }
            }
            stats[k] = new Stats(
                    done,
                    sorted[done / 2] / 1e6,
                    sorted[(int) Math.min(done - 1, Math.ceil(done * 0.99) - 1)] / 1e6,
                    totals[k] / 1e9,
                    median(head, heads),
                    median(tail, tails),
                    median(times[k], done / 2),
                    median(Arrays.copyOfRange(times[k], done / 2, done), done - done / 2));
        }
        return stats;
    }

    private static double median(long[] values, int n) {
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        return sorted[n / 2] / 1e6;
    }

    private void report(String measure, double devloop, double baseline, String format) {
        rows.add(new String[] {
            measure,
            String.format(Locale.ROOT, format, devloop),
            String.format(Locale.ROOT, format, baseline),
            String.format(Locale.ROOT, "%.2f", devloop / baseline)
        });
    }

    private void write() throws IOException {
        String out = System.getenv("BENCH_OUT");
        if (out == null || out.isBlank()) {
            return;
        }
        StringBuilder md = new StringBuilder("| measure | devloop | baseline | ratio |\n|---|---|---|---|\n");
        for (String[] row : rows) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        md.append(
                        "\nknowledge-service `SearchIngestBenchmark`: baseline = LangChain4j's all-MiniLM-L6-v2 embedding path ")
                .append(
                        "and a sequential hybrid search, devloop = LocalEmbeddings (same model and vectors) and the keyword ")
                .append(
                        "query overlapped; same store code (its savings count on both sides); alternating blocks of 10 calls; ")
                .append(DOCS)
                .append(" documents per side, unique queries; the last row's baseline is keyword-only search. ")
                .append("Load after: ")
                .append(load())
                .append(".\n");
        Path dir = Path.of(out);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("knowledge.md"), md.toString());
        System.out.println("wrote " + dir.resolve("knowledge.md"));
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
